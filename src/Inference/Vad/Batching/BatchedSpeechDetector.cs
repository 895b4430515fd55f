namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// <see cref="ISpeechDetector"/> whose windows are scored by a <see cref="VadBatchScheduler"/>: <see cref="Process"/>
/// queues the samples and segments the results that came back since the previous call, so events are raised on the
/// owner's thread as with <see cref="SpeechDetector"/>, at most one packet later. One owner, not thread-safe.
/// </summary>
public sealed class BatchedSpeechDetector : SegmentingSpeechDetector
{
    private readonly ScheduledVadStream _stream;
    private readonly List<VadWindowResult> _results = [];

    /// <summary>Registers a stream for one call with <paramref name="scheduler"/>.</summary>
    public BatchedSpeechDetector(VadBatchScheduler scheduler, VadOptions options)
        : base(options)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        _stream = scheduler.Register();
    }

    /// <summary>Windows of this call skipped as non-speech because the scheduler fell behind.</summary>
    public long WindowsDropped => _stream.WindowsDropped;

    /// <inheritdoc />
    public override long WindowsSkipped => _stream.WindowsDropped;

    /// <inheritdoc />
    public override long WindowsGated => _stream.WindowsGated;

    /// <inheritdoc />
    public override void Process(ReadOnlySpan<float> samples16k, List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        _stream.Write(samples16k);
        Segment(completed);
    }

    /// <inheritdoc />
    public override void Complete(List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        _stream.Complete();
        Segment(completed);
        if (Flush() is { } last)
        {
            completed.Add(last);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Segment(List<SpeechSegment> completed)
    {
        _results.Clear();
        _stream.TakeResults(_results);
        Segment(_results, completed);
    }
}
