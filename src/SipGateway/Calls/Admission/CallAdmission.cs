using System.Globalization;
using StepAudio.Telephony.SipGateway.Hosting.Health;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Calls.Admission;

/// <summary>
/// Whether this gateway can take one more call, apart from readiness: not while the <see cref="OverloadGuard"/> says
/// the inference is behind, nor at <see cref="CallsOptions.MaxConcurrentCalls"/>. Gives the 503's reason and
/// Retry-After, the checks <c>/readyz</c> shows, and counts every refusal (<c>stepaudio_calls_refused_total{reason}</c>).
/// </summary>
public sealed class CallAdmission
{
    private readonly OverloadGuard? _guard;
    private readonly SipRefusal _overload;
    private Func<int> _callsInProgress = () => 0;

    /// <param name="guard">Null when <see cref="AdmissionOptions.OverloadGuard"/> is off.</param>
    /// <param name="maxConcurrentCalls">0: no cap of our own.</param>
    /// <param name="retryAfter">Retry-After while overloaded or full.</param>
    public CallAdmission(OverloadGuard? guard, int maxConcurrentCalls, TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxConcurrentCalls);
        _guard = guard;
        MaxConcurrentCalls = maxConcurrentCalls;
        _overload = new SipRefusal("overload", retryAfter);
        Full = new SipRefusal("capacity", retryAfter);
    }

    /// <summary>The hard cap (0: none).</summary>
    public int MaxConcurrentCalls { get; }

    /// <summary>The answer at the cap.</summary>
    public SipRefusal Full { get; }

    /// <summary>Where the calls in progress are counted (the user agent's dialogs, once it runs).</summary>
    public void CountCallsWith(Func<int> callsInProgress)
    {
        ArgumentNullException.ThrowIfNull(callsInProgress);
        _callsInProgress = callsInProgress;
        _guard?.CountCallsWith(callsInProgress);
    }

    /// <summary>Overload or capacity refusal now; null when neither holds. The cap is enforced exactly by the user agent.</summary>
    public SipRefusal? Refusal()
    {
        if (_guard is { IsOverloaded: true })
        {
            return _overload;
        }

        if (_guard is null && MaxConcurrentCalls == 0)
        {
            return null;
        }

        var calls = _callsInProgress();
        if (_guard is not null && _guard.IsAtProjectedCapacity(calls))
        {
            return _overload;
        }

        return MaxConcurrentCalls > 0 && calls >= MaxConcurrentCalls ? Full : null;
    }

    /// <summary>Counts an INVITE answered 503.</summary>
    public void OnRefused(SipRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        AdmissionMetrics.CallsRefused.Add(1, new KeyValuePair<string, object?>("reason", refusal.Reason));
        if (ReferenceEquals(refusal, _overload))
        {
            _guard?.OnRefused();
        }
    }

    /// <summary>What <c>/readyz</c> shows: overload, and capacity when capped.</summary>
    public IEnumerable<ReadinessCheck> Checks()
    {
        var calls = _callsInProgress();
        if (_guard is null)
        {
            yield return new ReadinessCheck("overload", true, "guard off (Admission:OverloadGuard)");
        }
        else if (!_guard.IsOverloaded && _guard.IsAtProjectedCapacity(calls))
        {
            yield return new ReadinessCheck("overload", false, string.Create(CultureInfo.InvariantCulture,
                $"at the capacity projected from the inference threads' busy share ({calls} calls); new calls get 503"));
        }
        else
        {
            yield return new ReadinessCheck("overload", !_guard.IsOverloaded, _guard.Detail);
        }

        if (MaxConcurrentCalls > 0)
        {
            yield return new ReadinessCheck("capacity", calls < MaxConcurrentCalls,
                string.Create(CultureInfo.InvariantCulture, $"{calls} of {MaxConcurrentCalls} calls (Calls:MaxConcurrentCalls)"));
        }
    }
}
