using System.Globalization;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Why new calls are refused now and when to try again: a 503 Service Unavailable with Retry-After (RFC 3261 §21.5.4,
/// §20.33). <see cref="Reason"/> is a short token for metrics and logs (draining, overload, capacity, unavailable).
/// </summary>
public sealed class SipRefusal
{
    public SipRefusal(string reason, TimeSpan retryAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        Reason = reason;
        RetryAfter = ((long)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The cause, as a metric tag.</summary>
    public string Reason { get; }

    /// <summary>The Retry-After header value (whole seconds).</summary>
    public string RetryAfter { get; }
}
