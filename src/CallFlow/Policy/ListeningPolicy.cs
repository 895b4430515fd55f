namespace StepAudio.Telephony.CallFlow.Policy;

/// <summary>
/// Decides, for one call, when the gateway should end it. Pure state over the call's own clock
/// (seconds of audio since answer), so the decision is the same in a live call and in a simulation.
/// Not thread-safe: one call, one owner.
/// </summary>
public sealed class ListeningPolicy
{
    private readonly ListeningPolicyOptions _options;
    private TimeSpan _lastVoice;
    private bool _speaking;

    /// <summary>Creates the policy for a call answered at call time zero.</summary>
    public ListeningPolicy(ListeningPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxCallDuration <= TimeSpan.Zero)
        {
            throw new ArgumentException("CallFlow:MaxCallDuration must be positive.", nameof(options));
        }

        if (options.SilenceHangup < TimeSpan.Zero)
        {
            throw new ArgumentException("CallFlow:SilenceHangup must be zero (off) or positive.", nameof(options));
        }

        _options = options;
    }

    /// <summary>The caller started speaking at <paramref name="at"/> (call time).</summary>
    public void OnSpeechStarted(TimeSpan at)
    {
        _speaking = true;
        _lastVoice = Max(_lastVoice, at);
    }

    /// <summary>The caller stopped speaking at <paramref name="at"/> (call time).</summary>
    public void OnSpeechEnded(TimeSpan at)
    {
        _speaking = false;
        _lastVoice = Max(_lastVoice, at);
    }

    /// <summary>
    /// Returns the reason to hang up at call time <paramref name="now"/>, or <see langword="null"/> to go on.
    /// </summary>
    public string? Evaluate(TimeSpan now)
    {
        if (now >= _options.MaxCallDuration)
        {
            return HangupReasons.MaxDuration;
        }

        if (_options.SilenceHangup > TimeSpan.Zero && !_speaking && now - _lastVoice >= _options.SilenceHangup)
        {
            return HangupReasons.CallerSilent;
        }

        return null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
