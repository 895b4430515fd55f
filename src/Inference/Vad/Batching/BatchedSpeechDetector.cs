namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// <see cref="ISpeechDetector"/> whose windows are scored by a <see cref="VadBatchScheduler"/>: <see cref="Process"/>
/// queues the samples and segments the results that came back since the previous call, so events are raised on the
/// owner's thread as with <see cref="SpeechDetector"/>, at most one packet later. One owner, not thread-safe.
/// </summary>
public sealed class BatchedSpeechDetector : ISpeechDetector
{
    private readonly ScheduledVadStream _stream;
    private readonly SpeechSegmenter _segmenter;
    private readonly List<VadWindowResult> _results = [];

    /// <summary>Registers a stream for one call with <paramref name="scheduler"/>.</summary>
    public BatchedSpeechDetector(VadBatchScheduler scheduler, VadOptions options)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        _segmenter = new SpeechSegmenter(options);
        _stream = scheduler.Register();
    }

    /// <inheritdoc />
    public event EventHandler<SpeechStartedEventArgs>? SpeechStarted;

    /// <summary>Windows of this call skipped as non-speech because the scheduler fell behind.</summary>
    public long WindowsDropped => _stream.WindowsDropped;

    /// <inheritdoc />
    public void Process(ReadOnlySpan<float> samples16k, List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        _stream.Write(samples16k);
        Segment(completed);
    }

    /// <inheritdoc />
    public void Complete(List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        _stream.Complete();
        Segment(completed);
        if (_segmenter.Flush() is { } last)
        {
            completed.Add(last);
            VadMetrics.Segments.Add(1);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    private void Segment(List<SpeechSegment> completed)
    {
        _results.Clear();
        _stream.TakeResults(_results);
        foreach (var window in _results)
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
}
