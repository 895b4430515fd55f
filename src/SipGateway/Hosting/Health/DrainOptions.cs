namespace StepAudio.Telephony.SipGateway.Hosting.Health;

/// <summary>What the gateway does on SIGTERM (section <c>Drain</c>).</summary>
public sealed class DrainOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Drain";

    /// <summary>
    /// How long calls in progress may go on after SIGTERM before they are ended with BYE. New INVITEs and OPTIONS get
    /// 503 from the first moment. Zero: end every call at once (the behaviour before draining existed).
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retry-After of the 503 answers while draining or not ready.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}
