namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>
/// The two tables. <c>call_events</c> is the record: every event once, with its JSON as received, so contract fields
/// added later (turn numbers, new event types) are kept even before this service understands them. <c>calls</c> is
/// derived: one row per call, refolded from its events on every write, indexed for the call list and the trends.
/// Times are Unix milliseconds (UTC) in both databases.
/// </summary>
internal static class StoreSchema
{
    public static IReadOnlyList<string> Statements(IStoreDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var real = dialect.DoubleType;
        var emotions = string.Concat(Vocabulary.Emotions.Select(l => $"{Vocabulary.EmotionColumn(l)} INTEGER NOT NULL, "));
        return
        [
            """
            CREATE TABLE IF NOT EXISTS call_events (
                event_id TEXT PRIMARY KEY,
                call_id TEXT NOT NULL,
                sequence BIGINT NOT NULL,
                event_type TEXT NOT NULL,
                occurred_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                body TEXT NOT NULL,
                UNIQUE (call_id, sequence))
            """,
            $"""
            CREATE TABLE IF NOT EXISTS calls (
                call_id TEXT PRIMARY KEY,
                flow TEXT NOT NULL,
                caller TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                start_seen INTEGER NOT NULL,
                ended_at BIGINT NULL,
                duration_seconds {real} NOT NULL,
                outcome TEXT NOT NULL,
                hung_up_by TEXT NULL,
                peak_frustration {real} NOT NULL,
                sighs INTEGER NOT NULL,
                laughs INTEGER NOT NULL,
                crying INTEGER NOT NULL,
                turns INTEGER NOT NULL,
                {emotions}dominant_emotion TEXT NULL,
                transfers INTEGER NOT NULL,
                keys INTEGER NOT NULL,
                events INTEGER NOT NULL,
                last_event_at BIGINT NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS calls_by_start ON calls (started_at)",
            "CREATE INDEX IF NOT EXISTS calls_by_flow_start ON calls (flow, started_at)",
        ];
    }

    /// <summary>
    /// Indexes on columns that <see cref="LiveCallRows"/> adds, created once those exist. <c>received_at</c> serves the
    /// active-call list (recently written, not ended) and the newest write that tells a page something changed.
    /// </summary>
    public static IReadOnlyList<string> LaterIndexes { get; } =
    [
        "CREATE INDEX IF NOT EXISTS calls_by_received ON calls (received_at)",
    ];

    /// <summary>Every column of <c>calls</c>, in the order <see cref="CallRows"/> reads and writes them.</summary>
    public static IReadOnlyList<string> CallColumns { get; } =
    [
        "call_id", "flow", "caller", "started_at", "start_seen", "ended_at", "duration_seconds", "outcome", "hung_up_by",
        "peak_frustration", "sighs", "laughs", "crying", "turns",
        .. Vocabulary.Emotions.Select(Vocabulary.EmotionColumn),
        "dominant_emotion", "transfers", "keys", "events", "last_event_at",
    ];
}
