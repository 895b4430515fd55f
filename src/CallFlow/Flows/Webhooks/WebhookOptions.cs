namespace StepAudio.Telephony.CallFlow.Flows.Webhooks;

/// <summary>Gateway-wide settings of <see cref="HttpWebhookClient"/> (section <c>Webhooks</c>); each step sets its own timeout and retries.</summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>
    /// Failures (transport errors, timeouts, 5xx, 429) with no success in between, within
    /// <see cref="BreakerSamplingDuration"/>, that open a host's circuit. At least 2.
    /// </summary>
    public int BreakerFailures { get; set; } = 5;

    /// <summary>How long an open circuit fails calls to its host at once before one trial call is let through (at least 0.5 s).</summary>
    public TimeSpan BreakerBreak { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Window in which <see cref="BreakerFailures"/> are counted (at least 0.5 s).</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Delay before the first retry; it doubles for each further one, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between retries.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest answer accepted; a larger one is a failure (a flow variable is no place for a download).</summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;
}
