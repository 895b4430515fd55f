using StepAudio.Telephony.Analytics.Diagnostics;
using StepAudio.Telephony.SipGateway.Calls.Admission;

namespace StepAudio.Telephony.SipGateway.Hosting.Health;

/// <summary>
/// Whether this gateway should be given new calls: SIP bound, the models loaded, the call flows in service valid, the
/// broker reachable or the event outbox below its warning level, not overloaded nor at the call cap, and not
/// draining. The same answer feeds <c>/readyz</c> and the reply to OPTIONS, so Kubernetes and Kamailio's dispatcher
/// agree on it.
/// </summary>
public sealed class GatewayReadiness
{
    /// <summary>OPTIONS and INVITE read a verdict at most this old: checking the bus on every request is wasted work.</summary>
    private const long CacheMilliseconds = 250;

    /// <summary>Far enough in the past that "now - checked" never overflows and is always stale.</summary>
    private const long NeverChecked = long.MinValue / 2;

    private readonly PublishingHealth? _events;
    private readonly CallAdmission? _admission;
    private readonly Lock _cacheSync = new();
    private volatile bool _sipBound;
    private volatile bool _modelsLoaded;
    private volatile bool _draining;
    private volatile string? _flows = "disabled";
    private bool _cachedReady;
    private long _cachedAt = NeverChecked;

    /// <param name="events">The publisher's health; null where nothing is published (tests).</param>
    /// <param name="admission">The overload guard and the call cap; null where there are none (tests).</param>
    public GatewayReadiness(PublishingHealth? events = null, CallAdmission? admission = null)
    {
        _events = events;
        _admission = admission;
    }

    /// <summary>True from SIGTERM on.</summary>
    public bool IsDraining => _draining;

    public void MarkModelsLoaded() => _modelsLoaded = true;

    public void MarkSipBound() => _sipBound = true;

    /// <summary>The flows in service (the gateway refuses to start on invalid ones, and live reload keeps the last valid set).</summary>
    public void MarkFlowsValid(string description) => _flows = description;

    public void BeginDrain()
    {
        _draining = true;
        lock (_cacheSync)
        {
            _cachedAt = NeverChecked;
        }
    }

    /// <summary>
    /// The verdict apart from overload and the call cap, at most 250 ms old; what OPTIONS and new INVITEs see beside
    /// <see cref="CallAdmission"/>, which the user agent asks itself, uncached (<see cref="Check"/> shows both).
    /// </summary>
    public bool IsReady
    {
        get
        {
            if (_draining)
            {
                return false;
            }

            var now = Environment.TickCount64;
            lock (_cacheSync)
            {
                if (now - _cachedAt < CacheMilliseconds)
                {
                    return _cachedReady;
                }
            }

            var ready = new ReadinessReport(BaseChecks()).Ready;
            lock (_cacheSync)
            {
                (_cachedReady, _cachedAt) = (ready, now);
            }

            return ready;
        }
    }

    /// <summary>Every condition, evaluated now (<c>/readyz</c>).</summary>
    public ReadinessReport Check() => new([.. BaseChecks(), .. _admission?.Checks() ?? []]);

    private ReadinessCheck[] BaseChecks() =>
    [
        new ReadinessCheck("sip", _sipBound, _sipBound ? "bound" : "not listening yet"),
        new ReadinessCheck("models", _modelsLoaded, _modelsLoaded ? "loaded" : "not loaded yet"),
        new ReadinessCheck("flows", _flows is not null, _flows ?? "not loaded yet"),
        CheckEvents(),
        new ReadinessCheck("draining", !_draining, _draining ? "draining: finishing calls in progress, refusing new ones" : "no"),
    ];

    private ReadinessCheck CheckEvents()
    {
        if (_events is null)
        {
            return new ReadinessCheck("events", true, "not published");
        }

        var ok = _events.Check(out var detail);
        return new ReadinessCheck("events", ok, detail);
    }
}
