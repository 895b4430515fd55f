namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// Speech detection for one call with the model run inline at batch 1: 16 kHz samples in, closed
/// <see cref="SpeechSegment"/>s out. Owns a <see cref="VadStream"/> on the shared model. One owner, not thread-safe.
/// </summary>
public sealed class SpeechDetector : SegmentingSpeechDetector
{
    private readonly VadStream _stream;
    private readonly List<VadWindowResult> _windows = [];

    /// <summary>Creates a detector for one call.</summary>
    /// <param name="model">The process-wide model.</param>
    /// <param name="options">Segmentation thresholds and durations (usually the options the model was loaded with).</param>
    public SpeechDetector(SileroVadModel model, VadOptions options)
        : base(options)
    {
        _stream = new VadStream(model, SilenceGate.From(options));
    }

    /// <inheritdoc />
    public override long WindowsSkipped => 0; // inline runs never fall behind: the receive path waits for them

    /// <inheritdoc />
    public override long WindowsGated => _stream.WindowsGated;

    /// <summary>Samples given to <see cref="Process"/> so far.</summary>
    public long TotalSamples => _stream.SamplesWritten;

    /// <summary>Adds 16 kHz mono samples (any chunk size, nominally −1 to 1) and appends the segments they close.</summary>
    public override void Process(ReadOnlySpan<float> samples16k, List<SpeechSegment> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        _windows.Clear();
        _stream.Process(samples16k, _windows);
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
