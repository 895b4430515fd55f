namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// What every <see cref="ISpeechDetector"/> does with scored windows, however they were scored: segmentation with
/// hysteresis (<see cref="SpeechSegmenter"/>), speech-start notifications and the last voiced window (where
/// end-of-turn latency starts). Subclasses only decide how windows get their probabilities.
/// </summary>
public abstract class SegmentingSpeechDetector : ISpeechDetector
{
    private readonly SpeechSegmenter _segmenter;
    private readonly float _threshold;

    /// <summary>Creates the segmentation state for one call.</summary>
    protected SegmentingSpeechDetector(VadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _segmenter = new SpeechSegmenter(options);
        _threshold = options.Threshold;
    }

    /// <summary>
    /// Raised synchronously on the owner's thread when speech begins (the cue for barge-in). A segment that turns out
    /// shorter than the minimum speech duration is still announced here but never completed.
    /// </summary>
    public event EventHandler<SpeechStartedEventArgs>? SpeechStarted;

    /// <inheritdoc />
    public long LastVoicedSampleEnd { get; private set; } = -1;

    /// <inheritdoc />
    public long ScoredSamples => _segmenter.ProcessedSamples;

    /// <inheritdoc />
    public bool InSpeech => _segmenter.InSpeech;

    /// <inheritdoc />
    public abstract long WindowsSkipped { get; }

    /// <inheritdoc />
    public abstract long WindowsGated { get; }

    /// <inheritdoc />
    public void Process(ReadOnlySpan<float> samples16k, List<SpeechSegment> completed) =>
        Process(samples16k, SpeechSegment.SampleRate, completed);

    /// <inheritdoc />
    public abstract void Process(ReadOnlySpan<float> samples, int sampleRate, List<SpeechSegment> completed);

    /// <inheritdoc />
    public abstract int ScoringRate(int sampleRate);

    /// <inheritdoc />
    public abstract void Complete(List<SpeechSegment> completed);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the subclass holds.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Runs scored windows, in stream order, through the segmenter; appends the segments they close.</summary>
    protected void Segment(List<VadWindowResult> windows, List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(completed);
        foreach (var window in windows)
        {
            if (window.Probability >= _threshold)
            {
                LastVoicedSampleEnd = window.SampleOffset + SpeechSegmenter.WindowSamples;
            }

            var events = _segmenter.Push(window.Probability, out var segment);
            if ((events & SegmenterEvents.SpeechStarted) != 0)
            {
                SpeechStarted?.Invoke(this, new SpeechStartedEventArgs(window.SampleOffset));
            }

            if ((events & SegmenterEvents.SegmentCompleted) != 0)
            {
                completed.Add(segment);
                VadMetrics.Segments.Add(1);
            }
        }
    }

    /// <summary>Closes the segment still open, if it is long enough.</summary>
    protected SpeechSegment? Flush()
    {
        var last = _segmenter.Flush();
        if (last is not null)
        {
            VadMetrics.Segments.Add(1);
        }

        return last;
    }
}
