using System.Numerics.Tensors;

namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// Decides that a window is plainly silent, so the model need not run on it: its level is below
/// <see cref="VadOptions.SilenceGateDbfs"/> and the <see cref="QuietWindowsBeforeGating"/> windows before it were not speech. It never delays a speech onset
/// by construction: a window with any audible energy runs the model, and the gate only opens after 256 ms the model
/// (or the gate) already called non-speech, so a segment's hangover is untouched.
/// </summary>
/// <remarks>
/// A skipped window scores 0 and keeps the recurrent state the last scored window left, a state after silence.
/// Measured on recorded speech (<c>vad-gate</c>, README.md): no onset missed or delayed against the ungated model;
/// some come one or more windows earlier. Resetting the state to a fresh call's zeros instead delayed a few onsets. Telephone lines are rarely digitally silent: G.711 idle noise is around −70 dBFS and comfort noise
/// or a quiet room −60 to −50 dBFS; speech, even a soft onset, is 20 dB or more above that (the measurement with
/// real speech is in README.md, "Voice activity and analysis figures").
/// </remarks>
public sealed class SilenceGate
{
    private readonly float _maxMeanSquare;
    private readonly float _negativeThreshold;

    /// <summary>Creates a gate at <paramref name="levelDbfs"/> (RMS of the window's new samples, full scale = 1.0).</summary>
    public SilenceGate(float levelDbfs, float negativeThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levelDbfs, 0f);
        var rms = MathF.Pow(10f, levelDbfs / 20f);
        _maxMeanSquare = rms * rms;
        _negativeThreshold = negativeThreshold;
        LevelDbfs = levelDbfs;
    }

    /// <summary>The gate's level.</summary>
    public float LevelDbfs { get; }

    /// <summary>The gate of <paramref name="options"/>, or <see langword="null"/> when it is off.</summary>
    public static SilenceGate? From(VadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.SilenceGateDbfs is { } level ? new SilenceGate(level, options.EffectiveNegativeThreshold) : null;
    }

    /// <summary>
    /// Non-speech windows in a row (scored by the model or gated) before the gate may open: 8 windows, 256 ms, so
    /// that the recurrent state it keeps is one the model reached on silence, not the tail of an utterance.
    /// </summary>
    public const int QuietWindowsBeforeGating = 8;

    /// <summary>Whether a window of <paramref name="newSamples"/> may be scored 0 without the model.</summary>
    /// <param name="newSamples">The window's new samples (not the context): 512 at 16 kHz, 256 at 8 kHz. The level is
    /// an RMS, so it means the same at either rate.</param>
    /// <param name="quietWindows">Windows in a row before this one whose probability was below the negative threshold.</param>
    public bool IsSilent(ReadOnlySpan<float> newSamples, int quietWindows) =>
        quietWindows >= QuietWindowsBeforeGating && TensorPrimitives.SumOfSquares(newSamples) < _maxMeanSquare * newSamples.Length;

    /// <summary>Whether <paramref name="probability"/> continues a run of quiet windows.</summary>
    public bool IsQuiet(float probability) => probability < _negativeThreshold;
}
