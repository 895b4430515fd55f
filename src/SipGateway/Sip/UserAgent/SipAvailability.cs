using System.Globalization;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Whether the user agent takes new calls. While it does not (draining, not ready), a new INVITE and an out-of-dialog
/// OPTIONS are answered 503 with Retry-After (RFC 3261 §21.5.4, §20.33): a load balancer such as Kamailio's
/// dispatcher then fails the call over to another gateway and its OPTIONS probe marks this one inactive. Requests
/// inside existing dialogs are served as usual so that calls in progress finish normally.
/// </summary>
public sealed class SipAvailability
{
    private readonly Func<bool> _acceptsNewCalls;

    /// <param name="acceptsNewCalls">Read on every new INVITE and OPTIONS: keep it cheap and thread-safe.</param>
    /// <param name="retryAfter">Retry-After sent with the 503 (whole seconds).</param>
    public SipAvailability(Func<bool> acceptsNewCalls, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(acceptsNewCalls);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        _acceptsNewCalls = acceptsNewCalls;
        RetryAfter = ((long)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>True while new calls are welcome.</summary>
    public bool AcceptsNewCalls => _acceptsNewCalls();

    /// <summary>The Retry-After header value.</summary>
    public string RetryAfter { get; }
}
