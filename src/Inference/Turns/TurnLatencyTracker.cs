namespace StepAudio.Telephony.Inference.Turns;

/// <summary>
/// Measures one call's end-of-turn latency: how long after the last window the VAD called speech the segment's end
/// was announced, on the audio clock and on the wall clock, and keeps the call's percentiles. One owner, not thread-safe.
/// </summary>
/// <remarks>
/// The audio figure is the configured hangover plus the rounding to 32 ms windows; the wall figure adds what the
/// pipeline costs on top (waiting for a full window, inference, a loaded machine), which is what a caller waiting for
/// an answer experiences.
/// </remarks>
public sealed class TurnLatencyTracker
{
    // Enough turns for any real conversation; a pathological call keeps its latest ones.
    private const int MaxKept = 4096;

    private readonly TimeProvider _time;
    private readonly List<double> _audioSeconds = [];
    private readonly List<double> _wallSeconds = [];
    private long _lastVoicedEndSample = -1;
    private long _lastVoicedTimestamp;

    /// <summary>Creates a tracker that reads wall time from <paramref name="time"/>.</summary>
    public TurnLatencyTracker(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Turns measured.</summary>
    public int Count => _wallSeconds.Count;

    /// <summary>The latest turn's latency, or null before the first.</summary>
    public TurnEndLatency? Last { get; private set; }

    /// <summary>
    /// The detector has just scored a voiced window ending at <paramref name="voicedEndSample"/> (16 kHz since the
    /// stream began). Call it in the same step that fed the audio, so the wall clock marks when the audio arrived.
    /// </summary>
    public void OnVoiced(long voicedEndSample)
    {
        if (voicedEndSample > _lastVoicedEndSample)
        {
            _lastVoicedEndSample = voicedEndSample;
            _lastVoicedTimestamp = _time.GetTimestamp();
        }
    }

    /// <summary>
    /// A segment was closed when the detector had processed audio up to <paramref name="closedAtSample"/>; call it just
    /// before the end-of-segment event is raised. Returns the latency, or <see langword="null"/> when no voiced window preceded it.
    /// </summary>
    public TurnEndLatency? OnSegmentClosed(long closedAtSample)
    {
        if (_lastVoicedEndSample < 0)
        {
            return null;
        }

        var audio = TimeSpan.FromSeconds(Math.Max(0, closedAtSample - _lastVoicedEndSample) / 16_000.0);
        var wall = _time.GetElapsedTime(_lastVoicedTimestamp);
        _lastVoicedEndSample = -1;
        Keep(_audioSeconds, audio.TotalSeconds);
        Keep(_wallSeconds, wall.TotalSeconds);
        TurnMetrics.EndLatency.Record(audio.TotalSeconds, new KeyValuePair<string, object?>("clock", "audio"));
        TurnMetrics.EndLatency.Record(wall.TotalSeconds, new KeyValuePair<string, object?>("clock", "wall"));
        Last = new TurnEndLatency(audio, wall);
        return Last;
    }

    /// <summary>The <paramref name="percentile"/> (0–100) of the call's latencies, nearest-rank; zeros before the first turn.</summary>
    public TurnEndLatency Percentile(double percentile) =>
        new(TimeSpan.FromSeconds(NearestRank(_audioSeconds, percentile)), TimeSpan.FromSeconds(NearestRank(_wallSeconds, percentile)));

    private static void Keep(List<double> values, double value)
    {
        if (values.Count == MaxKept)
        {
            values.RemoveAt(0);
        }

        values.Add(value);
    }

    private static double NearestRank(List<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(Math.Clamp(percentile, 0, 100) / 100 * sorted.Length);
        return sorted[Math.Max(0, rank - 1)];
    }
}
