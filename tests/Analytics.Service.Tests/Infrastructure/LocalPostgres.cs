using System.Net.Sockets;
using Npgsql;

namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

/// <summary>
/// The loopback PostgreSQL 15 that scripts/start-postgres.sh starts, with the <c>stepaudio</c> role (CREATEDB).
/// Each test gets a database of its own, dropped afterwards.
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    public const string Host = "127.0.0.1";
    public const int Port = 5432;
    private const string Admin = "Host=127.0.0.1;Port=5432;Username=stepaudio;Password=stepaudio;Database=postgres;Pooling=false";

    private LocalPostgres(string database)
    {
        Database = database;
        ConnectionString = $"Host={Host};Port={Port};Username=stepaudio;Password=stepaudio;Database={database};Timeout=5";
    }

    public string Database { get; }

    public string ConnectionString { get; }

    /// <summary>Settings that point the service at this database.</summary>
    public Dictionary<string, string?> ServiceSettings() => new()
    {
        ["Analytics:Store:Provider"] = "Postgres",
        ["Analytics:Store:PostgresConnectionString"] = ConnectionString,
        ["Analytics:Store:RetryMaxInterval"] = "00:00:00.500",
    };

    /// <summary>A fresh database; fails the test (never skips) when the server is not running.</summary>
    public static async Task<LocalPostgres> CreateDatabaseAsync()
    {
        using (var probe = new TcpClient())
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await probe.ConnectAsync(Host, Port, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                throw new InvalidOperationException($"PostgreSQL not reachable on {Host}:{Port}: run scripts/start-postgres.sh ({ex.Message})", ex);
            }
        }

        var database = $"analytics_test_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE {database}");
        return new LocalPostgres(database);
    }

    /// <summary>Makes the database refuse connections and ends the open ones: an outage as the service sees it.</summary>
    public async Task BlockAsync()
    {
        await ExecuteAsync($"ALTER DATABASE {Database} ALLOW_CONNECTIONS false");
        await ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Database}' AND pid <> pg_backend_pid()");
    }

    public Task UnblockAsync() => ExecuteAsync($"ALTER DATABASE {Database} ALLOW_CONNECTIONS true");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
