namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>Where and how long events are kept, bound from <c>Analytics:Store</c>.</summary>
public sealed class StoreOptions
{
    public const string SectionName = "Analytics:Store";

    /// <summary><see cref="StoreProvider.Sqlite"/> (embedded, one instance) or <see cref="StoreProvider.Postgres"/> (shared).</summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>The SQLite file; relative paths are taken from the working directory. The folder is created.</summary>
    public string SqlitePath { get; set; } = "data/analytics.db";

    /// <summary>
    /// SQLite's <c>synchronous</c> setting in WAL mode. <c>FULL</c> (default) makes every acknowledged event survive a
    /// power cut; <c>NORMAL</c> is faster and still survives a process crash.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "FULL";

    /// <summary>Npgsql connection string, used when <see cref="Provider"/> is Postgres (scripts/start-postgres.sh makes one).</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Calls that started longer ago than this are deleted with their events; late events for them are dropped.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the retention sweep runs.</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Longest pause between attempts to write an event while the database is unavailable. The event stays unacknowledged
    /// on the queue meanwhile (attempts never stop), so nothing is lost and nothing after it overtakes it.
    /// </summary>
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most events written in one transaction. The consumer takes twice as many messages at once, so one batch
    /// fills while the previous one commits; each message is acknowledged only after the commit that holds it.
    /// 1 writes (and acknowledges) one event per transaction.
    /// </summary>
    public int WriteBatchSize { get; set; } = 100;

    /// <summary>Keep DTMF digits as pressed. Off: they are stored as <c>•</c> (keys can spell a PIN; docs/events.md, Privacy).</summary>
    public bool KeepDigits { get; set; }
}
