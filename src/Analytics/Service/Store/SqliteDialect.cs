using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>An embedded SQLite file in WAL mode: readers never wait for the writer.</summary>
internal sealed class SqliteDialect : IStoreDialect
{
    private static readonly string[] Synchronous = ["OFF", "NORMAL", "FULL", "EXTRA"];
    private readonly string _connectionString;
    private readonly string _synchronous;

    public SqliteDialect(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.GetFullPath(options.SqlitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _synchronous = Synchronous.FirstOrDefault(s => string.Equals(s, options.SqliteSynchronous, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Analytics:Store:SqliteSynchronous must be one of {string.Join(", ", Synchronous)}", nameof(options));
    }

    public StoreProvider Provider => StoreProvider.Sqlite;

    public bool SingleWriter => true;

    public string DoubleType => "DOUBLE PRECISION";

    public IReadOnlyList<string> PreludeSql { get; } = ["PRAGMA journal_mode=WAL"];

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            // Another process on the same file (a second instance, the benchmark) waits rather than failing at once.
            pragmas.CommandText = $"PRAGMA busy_timeout=10000; PRAGMA synchronous={_synchronous};";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // One writer per file: BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default) already serialises writers.
    public string? LockSql => null;
}
