namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// The durable on-disk outbox that holds call events until the broker confirms them
/// (bound under <c>Publishing:Outbox</c>).
/// </summary>
public sealed class OutboxOptions
{
    /// <summary>Configuration section name, under the publishing section.</summary>
    public const string SectionName = "Outbox";

    /// <summary>When false the gateway keeps events in memory only and loses them if it dies.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Folder of the segment and checkpoint files; a relative path is taken against the current directory
    /// (the gateway passes an absolute path under its data directory). Created when missing.
    /// </summary>
    public string Directory { get; set; } = "outbox";

    /// <summary>
    /// Most bytes of undelivered events held on disk. Beyond it new events are refused, so an outage
    /// that outlasts the disk budget costs the newest events, counted, never the ones already accepted.
    /// </summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Size at which the writer starts a new segment file. Delivered events are freed a whole segment at a time,
    /// so smaller segments return disk sooner; larger ones mean fewer files. Also the largest single event.
    /// </summary>
    public long SegmentBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>Fill ratio (0–1) at which a warning is logged, at most once a minute while above.</summary>
    public double WarnAtRatio { get; set; } = 0.8;

    /// <summary>
    /// Cadence of fsync. Every event is written to the operating system before it is accepted, so a killed
    /// process loses nothing; only a power loss or kernel crash can lose the last interval.
    /// </summary>
    public TimeSpan FlushToDiskInterval { get; set; } = TimeSpan.FromSeconds(1);
}
