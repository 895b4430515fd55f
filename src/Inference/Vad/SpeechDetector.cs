namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// Speech detection for one call with the model run inline at batch 1: 8 or 16 kHz samples in, closed
/// <see cref="SpeechSegment"/>s out (in 16 kHz samples). Owns a <see cref="VadStream"/> on the shared model. One owner, not thread-safe.
/// </summary>
public sealed class SpeechDetector : SegmentingSpeechDetector
{
    private readonly SileroVadModel _model;
    private readonly SilenceGate? _gate;
    private readonly VadRateAdapter _rates;
    private readonly List<VadWindowResult> _windows = [];
    private VadStream? _stream;
    private long _samplesGiven;

    /// <summary>Creates a detector for one call.</summary>
    /// <param name="model">The process-wide model.</param>
    /// <param name="options">Segmentation thresholds and durations (usually the options the model was loaded with).</param>
    public SpeechDetector(SileroVadModel model, VadOptions options)
        : base(options)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _gate = SilenceGate.From(options);
        _rates = new VadRateAdapter(options);
    }

    /// <inheritdoc />
    public override long WindowsSkipped => 0; // inline runs never fall behind: the receive path waits for them

    /// <inheritdoc />
    public override int ScoringRate(int sampleRate) => _rates.RateFor(sampleRate).SampleRate;

    /// <inheritdoc />
    public override long WindowsGated => _stream?.WindowsGated ?? 0;

    /// <summary>Samples given to <see cref="Process"/> so far, at the rates they were given.</summary>
    public long TotalSamples => _samplesGiven;

    /// <summary>The rate the model runs at for this call, once audio has arrived.</summary>
    public SileroRate? Rate => _rates.Rate;

    /// <summary>Adds mono samples (any chunk size, nominally −1 to 1) at 8 or 16 kHz and appends the segments they close.</summary>
    public override void Process(ReadOnlySpan<float> samples, int sampleRate, List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        var converted = _rates.Convert(samples, sampleRate);
        _stream ??= new VadStream(_model, _gate, _rates.Choose(sampleRate));
        _samplesGiven += samples.Length;
        _windows.Clear();
        _stream.Process(converted, _windows);
        Segment(_windows, completed);
    }

    /// <summary>Ends the call: returns the segment still open, if it is long enough. Samples short of a full window are ignored.</summary>
    public SpeechSegment? Complete() => Flush();

    /// <inheritdoc />
    public override void Complete(List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (Flush() is { } last)
        {
            completed.Add(last);
        }
    }
}
