namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// <see cref="ISpeechDetector"/> whose windows are scored by a <see cref="VadBatchScheduler"/>: <see cref="Process"/>
/// queues the samples and segments the results that came back since the previous call, so events are raised on the
/// owner's thread as with <see cref="SpeechDetector"/>, at most one packet later. One owner, not thread-safe.
/// </summary>
public sealed class BatchedSpeechDetector : SegmentingSpeechDetector
{
    private readonly VadBatchScheduler _scheduler;
    private readonly VadRateAdapter _rates;
    private readonly List<VadWindowResult> _results = [];
    private ScheduledVadStream? _stream;
    private bool _disposed;

    /// <summary>Creates the detector of one call; its stream is registered with <paramref name="scheduler"/> on the
    /// first audio, whose rate it takes.</summary>
    public BatchedSpeechDetector(VadBatchScheduler scheduler, VadOptions options)
        : base(options)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        _scheduler = scheduler;
        _rates = new VadRateAdapter(options);
    }

    /// <summary>Windows of this call skipped as non-speech because the scheduler fell behind.</summary>
    public long WindowsDropped => _stream?.WindowsDropped ?? 0;

    /// <summary>The rate the model runs at for this call, once audio has arrived.</summary>
    public SileroRate? Rate => _rates.Rate;

    /// <inheritdoc />
    public override long WindowsSkipped => WindowsDropped;

    /// <inheritdoc />
    public override int ScoringRate(int sampleRate) => _rates.RateFor(sampleRate).SampleRate;

    /// <inheritdoc />
    public override long WindowsGated => _stream?.WindowsGated ?? 0;

    /// <inheritdoc />
    public override void Process(ReadOnlySpan<float> samples, int sampleRate, List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (_disposed)
        {
            return; // audio racing the call's end: nobody reads its results
        }

        var converted = _rates.Convert(samples, sampleRate);
        _stream ??= _scheduler.Register(_rates.Choose(sampleRate));
        _stream.Write(converted);
        Segment(completed);
    }

    /// <inheritdoc />
    public override void Complete(List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        _stream?.Complete();
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
            _disposed = true;
            _stream?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Segment(List<SpeechSegment> completed)
    {
        if (_stream is null)
        {
            return;
        }

        _results.Clear();
        _stream.TakeResults(_results);
        Segment(_results, completed);
    }
}
