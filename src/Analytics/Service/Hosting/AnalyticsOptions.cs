namespace StepAudio.Telephony.Analytics.Service.Hosting;

/// <summary>Settings of the analytics service, bound from the <c>Analytics</c> section.</summary>
public sealed class AnalyticsOptions
{
    public const string SectionName = "Analytics";

    /// <summary>The service's own queue; durable so events published while the service is down wait for it.</summary>
    public string QueueName { get; set; } = "stepaudio-analytics";

    /// <summary>A non-durable, auto-deleted queue instead (tests, throw-away dashboards).</summary>
    public bool TransientQueue { get; set; }

    /// <summary>Off: no broker connection at all (the page and JSON still serve whatever is applied in-process).</summary>
    public bool ConsumeFromBroker { get; set; } = true;

    /// <summary>Hours of aggregates the live page shows (and <c>/api/aggregates</c> without <c>from</c>); the store keeps more (Store:Retention).</summary>
    public int RetainedHours { get; set; } = 7 * 24;

    /// <summary>
    /// A call for which no instance stored an event for this long is taken off the active list (its CallEnded was
    /// lost). Measured on the services' clocks, not the gateway's.
    /// </summary>
    public TimeSpan ActiveCallIdleTimeout { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// How often the live page's active calls are read from the store, so that calls whose events another instance
    /// consumed appear; events this instance stores are shown at once.
    /// </summary>
    public TimeSpan ActiveCallRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Live page updates are sent at most this often per browser.</summary>
    public TimeSpan StreamCoalesceInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A comment line this often keeps proxies from closing an idle event stream.</summary>
    public TimeSpan StreamHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
