using System.Data.Common;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>
/// What differs between the databases; everything else (the SQL of writes and queries) is shared, since SQLite and
/// PostgreSQL both speak <c>INSERT … ON CONFLICT</c>, <c>LIMIT/OFFSET</c> and integer arithmetic alike.
/// </summary>
internal interface IStoreDialect
{
    StoreProvider Provider { get; }

    /// <summary>Whether writers must take turns in this process (SQLite has one writer per file).</summary>
    bool SingleWriter { get; }

    /// <summary>An opened connection, with per-connection settings applied.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Type names for the columns: a 64-bit integer and a double.</summary>
    string DoubleType { get; }

    /// <summary>
    /// A statement with one parameter, <c>@key</c>, run inside a write transaction before anything else: makes
    /// concurrent writers of one call (two service instances on one database) take turns, so each summary is folded
    /// from every committed event of its call. Null where transactions already take turns (SQLite).
    /// </summary>
    string? LockSql { get; }

    /// <summary>Statements run once before the schema (for example SQLite's journal mode).</summary>
    IReadOnlyList<string> PreludeSql { get; }
}
