namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Whether the user agent takes new calls. While it does not (draining, not ready, overloaded, full), a new INVITE and
/// an out-of-dialog OPTIONS are answered 503 with Retry-After (RFC 3261 §21.5.4, §20.33): a load balancer such as
/// Kamailio's dispatcher then fails the call over to another gateway and its OPTIONS probe marks this one inactive.
/// Requests inside existing dialogs are served as usual so that calls in progress finish normally.
/// </summary>
public sealed class SipAvailability
{
    private readonly Func<SipRefusal?> _refusal;
    private readonly Action<SipRefusal>? _refused;

    /// <param name="acceptsNewCalls">Read on every new INVITE and OPTIONS: keep it cheap and thread-safe.</param>
    /// <param name="retryAfter">Retry-After sent with the 503 (whole seconds).</param>
    public SipAvailability(Func<bool> acceptsNewCalls, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(acceptsNewCalls);
        var unavailable = new SipRefusal("unavailable", retryAfter);
        _refusal = () => acceptsNewCalls() ? null : unavailable;
        Full = new SipRefusal("capacity", TimeSpan.FromSeconds(5));
    }

    /// <param name="refusal">Read on every new INVITE and OPTIONS (keep it cheap and thread-safe): null while new calls are welcome.</param>
    /// <param name="maxCalls">Dialogs plus INVITEs being decided beyond which a new INVITE gets <paramref name="full"/>; 0 for no bound but Sip:MaxDialogs.</param>
    /// <param name="full">The answer at <paramref name="maxCalls"/> (and at Sip:MaxDialogs).</param>
    /// <param name="refused">Told of every INVITE refused with 503 (for metrics); called on the receive path, so quick.</param>
    public SipAvailability(Func<SipRefusal?> refusal, int maxCalls, SipRefusal full, Action<SipRefusal>? refused = null)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        ArgumentNullException.ThrowIfNull(full);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCalls);
        _refusal = refusal;
        _refused = refused;
        MaxCalls = maxCalls;
        Full = full;
    }

    /// <summary>True while new calls are welcome.</summary>
    public bool AcceptsNewCalls => _refusal() is null;

    /// <summary>Why new calls are refused now; null while they are welcome.</summary>
    public SipRefusal? Refusal => _refusal();

    /// <summary>The hard cap on dialogs plus INVITEs being decided (0: only Sip:MaxDialogs applies).</summary>
    public int MaxCalls { get; }

    /// <summary>What an INVITE over the cap gets.</summary>
    public SipRefusal Full { get; }

    /// <summary>Counts one INVITE refused with 503.</summary>
    public void OnRefused(SipRefusal refusal) => _refused?.Invoke(refusal);
}
