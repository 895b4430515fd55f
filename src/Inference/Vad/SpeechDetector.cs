namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// Speech detection for one call: 16 kHz samples in, closed <see cref="SpeechSegment"/>s out. Owns a
/// <see cref="VadStream"/> on the shared model and a <see cref="SpeechSegmenter"/>. One owner, not thread-safe.
/// </summary>
public sealed class SpeechDetector : ISpeechDetector
{
    private readonly VadStream _stream;
    private readonly SpeechSegmenter _segmenter;
    private readonly List<VadWindowResult> _windows = [];

    /// <summary>Creates a detector for one call.</summary>
    /// <param name="model">The process-wide model.</param>
    /// <param name="options">Segmentation thresholds and durations (usually the options the model was loaded with).</param>
    public SpeechDetector(SileroVadModel model, VadOptions options)
    {
        _stream = new VadStream(model);
        _segmenter = new SpeechSegmenter(options);
    }

    /// <summary>
    /// Raised synchronously inside <see cref="Process"/> when speech begins (the cue for barge-in). A segment that
    /// turns out shorter than the minimum speech duration is still announced here but never completed.
    /// </summary>
    public event EventHandler<SpeechStartedEventArgs>? SpeechStarted;

    /// <summary>Samples given to <see cref="Process"/> so far.</summary>
    public long TotalSamples => _stream.SamplesWritten;

    /// <summary>Whether speech is in progress (a segment is open).</summary>
    public bool InSpeech => _segmenter.InSpeech;

    /// <summary>Adds 16 kHz mono samples (any chunk size, nominally −1 to 1) and appends the segments they close.</summary>
    public void Process(ReadOnlySpan<float> samples16k, List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        _windows.Clear();
        _stream.Process(samples16k, _windows);
        foreach (var window in _windows)
        {
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

    /// <summary>Ends the call: returns the segment still open, if it is long enough. Samples short of a full window are ignored.</summary>
    public SpeechSegment? Complete()
    {
        var last = _segmenter.Flush();
        if (last is not null)
        {
            VadMetrics.Segments.Add(1);
        }

        return last;
    }

    /// <inheritdoc />
    public void Complete(List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (Complete() is { } last)
        {
            completed.Add(last);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing is shared: the model belongs to the process.
    }
}
