using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.CallEngine.Analysis;

namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>
/// A call's analysis as its flow sees it. Reads go to <see cref="CallAnalysis"/> under the call's lock; the clock is
/// the call's clock since it was confirmed (real in the gateway, virtual in a simulation). <see cref="Changed"/> is
/// raised by <see cref="Tick"/> only (the gateway's shared tick, the simulator's frames), never by a timer of its own
/// nor under the call's lock.
/// </summary>
public sealed class EngineSignals : ICallSignals
{
    private readonly Func<TimeSpan> _now;
    private readonly CallAnalysis? _analysis;
    private long _lastActivityTicks;

    /// <summary>Signals over <paramref name="analysis"/> (none: a caller who is never analysed), on the clock <paramref name="now"/>.</summary>
    public EngineSignals(Func<TimeSpan> now, CallAnalysis? analysis)
    {
        _now = now;
        _analysis = analysis;
    }

    /// <inheritdoc />
    public event EventHandler? Changed;

    /// <inheritdoc />
    public TimeSpan Now => _now();

    /// <inheritdoc />
    public string Emotion => (_analysis?.LatestEmotion ?? EmotionLabel.Neutral).ToString().ToLowerInvariant();

    /// <inheritdoc />
    public double Frustration => _analysis?.CurrentFrustration ?? 0;

    /// <inheritdoc />
    public bool CallerSpeaking => _analysis?.CallerSpeaking ?? false;

    /// <inheritdoc />
    public TimeSpan LastCallerActivity => CallerSpeaking ? Now : TimeSpan.FromTicks(Interlocked.Read(ref _lastActivityTicks));

    /// <inheritdoc />
    public int VocalEventCount(string kind, TimeSpan since) =>
        _analysis is not null && TryParseKind(kind, out var parsed) ? _analysis.VocalEventCount(parsed, since) : 0;

    /// <summary>The caller did something at <paramref name="at"/>: recorded as activity and announced.</summary>
    /// <remarks>
    /// Only recorded: this runs under the call's lock, and handlers of <see cref="Changed"/> read the signals and may
    /// cancel the running step, which must not happen with the media thread holding that lock. The shared tick
    /// raises <see cref="Changed"/> within 100 ms, far inside any on_silence or on_frustration duration.
    /// </remarks>
    public void OnCallerInput(TimeSpan at) => Interlocked.Exchange(ref _lastActivityTicks, at.Ticks);

    /// <summary>The periodic tick: handlers that watch a score over time (on_frustration) re-check.</summary>
    public void Tick() => Changed?.Invoke(this, EventArgs.Empty);

    /// <summary>Snake-case names of the flow language (<c>throat_clear</c>) to <see cref="VocalEventKind"/>.</summary>
    internal static bool TryParseKind(string kind, out VocalEventKind parsed)
    {
        parsed = default;
        return kind.Length > 0 && char.IsAsciiLetter(kind[0]) // Enum.TryParse also takes numbers
            && Enum.TryParse(kind.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out parsed)
            && Enum.IsDefined(parsed);
    }
}
