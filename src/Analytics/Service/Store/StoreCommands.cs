using System.Data.Common;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>Small helpers for provider-neutral commands (both providers take <c>@name</c> parameters).</summary>
internal static class StoreCommands
{
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
