using System.Data.Common;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>
/// Statements of one transaction sent together: as one <see cref="DbBatch"/> (one network round trip) where the
/// provider supports it (Npgsql), else one after the other (Microsoft.Data.Sqlite, in-process, where a round trip
/// costs nothing). Each statement's affected-row count comes back, so an <c>INSERT … ON CONFLICT DO NOTHING</c>
/// still tells a new row from a duplicate.
/// </summary>
internal sealed class CommandBatch
{
    private readonly List<(string Sql, (string Name, object? Value)[] Parameters)> _statements = [];

    public int Count => _statements.Count;

    public void Add(string sql, params (string Name, object? Value)[] parameters) => _statements.Add((sql, parameters));

    /// <summary>Runs every statement in order inside <paramref name="transaction"/>; returns each one's affected rows.</summary>
    public async Task<int[]> ExecuteAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection!;
        var affected = new int[_statements.Count];
        if (_statements.Count == 0)
        {
            return affected;
        }

        if (!connection.CanCreateBatch)
        {
            for (var i = 0; i < _statements.Count; i++)
            {
                await using var command = StoreCommands.Create(connection, transaction, _statements[i].Sql);
                foreach (var (name, value) in _statements[i].Parameters)
                {
                    StoreCommands.Add(command, name, value);
                }

                affected[i] = await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return affected;
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var (sql, parameters) in _statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        for (var i = 0; i < affected.Length; i++)
        {
            affected[i] = batch.BatchCommands[i].RecordsAffected;
        }

        return affected;
    }
}
