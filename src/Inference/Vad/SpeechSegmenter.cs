namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// Turns per-window speech probabilities into speech segments, online, with the hysteresis of Silero's
/// <c>get_speech_timestamps</c>. Pure logic; one instance per stream, not thread-safe.
/// </summary>
/// <remarks>
/// Window <c>i</c> covers samples <c>[i·512, (i+1)·512)</c> at 16 kHz. The rules:
/// <list type="bullet">
/// <item>Idle: a window with p ≥ Threshold opens a segment whose speech starts at that window's first sample.</item>
/// <item>Open: a window with p &lt; NegativeThreshold marks a tentative end at its first sample (only the first such
/// window after speech does); a window with p ≥ Threshold clears it; windows in between change nothing.</item>
/// <item>The segment closes at the tentative end once the silence after it (up to the end of the current window)
/// lasts at least MinSilence. Shorter gaps are bridged (the hangover).</item>
/// <item>Segments whose speech (tentative end − start) is shorter than MinSpeech are dropped.</item>
/// <item>The emitted segment is the speech widened by SpeechPad on both sides, never before sample 0, never before
/// the previous emitted segment's end and never past the audio processed so far.</item>
/// <item>No emitted segment is longer than MaxSpeech. When the next window would not fit (with the end padding),
/// the segment closes: at its tentative end with padding if one is pending, otherwise at the window's first sample
/// without padding, and the speech goes on in a new segment that starts exactly there (no new SpeechStarted).</item>
/// </list>
/// Unlike the offline reference, the end padding does not depend on the next segment, because segments are emitted
/// as soon as they close.
/// </remarks>
public sealed class SpeechSegmenter
{
    /// <summary>Samples per probability window at 16 kHz (Silero v5).</summary>
    public const int WindowSamples = 512;

    private const int SamplesPerMs = SpeechSegment.SampleRate / 1000;

    private readonly float _threshold;
    private readonly float _negativeThreshold;
    private readonly long _minSilenceSamples;
    private readonly long _minSpeechSamples;
    private readonly long _padSamples;
    private readonly long _maxSegmentSamples;

    private long _windows;
    private bool _open;
    private long _speechStart;
    private long _segmentStart;
    private long _tentativeEnd = -1;
    private long _lastEmittedEnd;

    /// <summary>Creates a segmenter with the thresholds and durations of <paramref name="options"/>.</summary>
    public SpeechSegmenter(VadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _threshold = options.Threshold;
        _negativeThreshold = options.EffectiveNegativeThreshold;
        _minSilenceSamples = (long)options.MinSilenceMs * SamplesPerMs;
        _minSpeechSamples = (long)options.MinSpeechMs * SamplesPerMs;
        _padSamples = (long)options.SpeechPadMs * SamplesPerMs;
        _maxSegmentSamples = (long)options.MaxSpeechSeconds * SpeechSegment.SampleRate;
    }

    /// <summary>Samples covered by the windows pushed so far.</summary>
    public long ProcessedSamples => _windows * WindowSamples;

    /// <summary>Whether a segment is open (speech has started and not yet ended).</summary>
    public bool InSpeech => _open;

    /// <summary>Feeds the probability of the next window.</summary>
    /// <param name="probability">Speech probability of the window.</param>
    /// <param name="segment">The closed segment when the result has <see cref="SegmenterEvents.SegmentCompleted"/>.</param>
    public SegmenterEvents Push(float probability, out SpeechSegment segment)
    {
        segment = default;
        var windowStart = _windows * WindowSamples;
        var windowEnd = windowStart + WindowSamples;
        _windows++;

        if (!_open)
        {
            if (probability >= _threshold)
            {
                Open(windowStart, Math.Max(Math.Max(0, windowStart - _padSamples), _lastEmittedEnd));
                return SegmenterEvents.SpeechStarted;
            }

            return SegmenterEvents.None;
        }

        if (probability >= _threshold)
        {
            _tentativeEnd = -1;
        }
        else if (probability < _negativeThreshold && _tentativeEnd < 0)
        {
            _tentativeEnd = windowStart;
        }

        if (_tentativeEnd >= 0 && windowEnd - _tentativeEnd >= _minSilenceSamples)
        {
            return Close(_tentativeEnd, padEnd: true, windowEnd, out segment);
        }

        if (windowEnd + _padSamples - _segmentStart > _maxSegmentSamples)
        {
            if (_tentativeEnd >= 0)
            {
                return Close(_tentativeEnd, padEnd: true, windowEnd, out segment);
            }

            // Speech goes on: cut at the window boundary so the two parts tile the speech without overlap.
            var result = Close(windowStart, padEnd: false, windowEnd, out segment);
            Open(windowStart, windowStart);
            return result;
        }

        return SegmenterEvents.None;
    }

    /// <summary>
    /// Closes the open segment at the end of the stream (call end). Returns it, or <see langword="null"/> when no
    /// segment was open or the open one was too short.
    /// </summary>
    public SpeechSegment? Flush()
    {
        if (!_open)
        {
            return null;
        }

        var end = ProcessedSamples;
        var speechEnd = _tentativeEnd >= 0 ? _tentativeEnd : end;
        return Close(speechEnd, padEnd: true, end, out var segment) == SegmenterEvents.SegmentCompleted ? segment : null;
    }

    private void Open(long speechStart, long segmentStart)
    {
        _open = true;
        _speechStart = speechStart;
        _segmentStart = segmentStart;
        _tentativeEnd = -1;
    }

    private SegmenterEvents Close(long speechEnd, bool padEnd, long limit, out SpeechSegment segment)
    {
        _open = false;
        _tentativeEnd = -1;
        segment = default;
        if (speechEnd - _speechStart < _minSpeechSamples)
        {
            return SegmenterEvents.SegmentDiscarded;
        }

        var end = padEnd ? Math.Min(speechEnd + _padSamples, limit) : speechEnd;
        segment = new SpeechSegment(_segmentStart, end);
        _lastEmittedEnd = end;
        return SegmenterEvents.SegmentCompleted;
    }
}
