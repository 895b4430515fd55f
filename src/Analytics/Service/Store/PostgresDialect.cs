using System.Data.Common;
using Npgsql;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>A PostgreSQL database shared by several service instances.</summary>
internal sealed class PostgresDialect : IStoreDialect, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            throw new ArgumentException(
                "Analytics:Store:PostgresConnectionString is required when Analytics:Store:Provider is Postgres", nameof(options));
        }

        _dataSource = NpgsqlDataSource.Create(options.PostgresConnectionString);
    }

    public StoreProvider Provider => StoreProvider.Postgres;

    public bool SingleWriter => false;

    public string DoubleType => "DOUBLE PRECISION";

    public IReadOnlyList<string> PreludeSql { get; } = [];

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    // A transaction-scoped advisory lock on the call (released at commit): two instances consuming one queue may
    // hold two events of the same call at once, and each must fold the other's committed event into the summary.
    public string? LockSql => "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))";

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
