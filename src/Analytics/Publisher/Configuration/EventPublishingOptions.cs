namespace StepAudio.Telephony.Analytics.Configuration;

/// <summary>How call events are buffered and delivered to the broker.</summary>
public sealed class EventPublishingOptions
{
    /// <summary>Configuration section name used by the gateway.</summary>
    public const string SectionName = "Publishing";

    /// <summary>
    /// Events held while the broker is slow or down. When full, new events are rejected rather than
    /// making the call path wait; 10 000 covers minutes of outage at normal call rates.
    /// </summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// Longest a single publish (including the publisher confirm) may take. MassTransit waits for the
    /// connection to come back while the broker is down, so without this bound one attempt lasts the whole outage.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First delay between attempts for the same event; doubled per failure up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan RetryBackoffBase { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of the delay between attempts, so delivery resumes soon after the broker is back.</summary>
    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most events awaiting a broker confirm at once. Events of different calls are published concurrently,
    /// each call's events one at a time, so this bounds the delivery window, not any one call's rate.
    /// </summary>
    public int MaxInFlight { get; set; } = 64;

    /// <summary>How long shutdown keeps trying to deliver what is still queued before giving up and counting it.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
