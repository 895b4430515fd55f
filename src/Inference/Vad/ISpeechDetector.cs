namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// Speech detection for one call, however the model is driven: inline at batch 1 (<see cref="SpeechDetector"/>) or
/// through the shared batching scheduler (<see cref="Batching.BatchedSpeechDetector"/>). One owner, not thread-safe.
/// </summary>
public interface ISpeechDetector : IDisposable
{
    /// <summary>Raised on the owner's thread, inside <see cref="Process"/> or <see cref="Complete"/>, when speech begins.</summary>
    event EventHandler<SpeechStartedEventArgs>? SpeechStarted;

    /// <summary>End (exclusive, 16 kHz samples) of the latest window scored as speech; −1 before any. Turn latency starts here.</summary>
    long LastVoicedSampleEnd { get; }

    /// <summary>Samples covered by the windows scored so far (where a segment closed by this step was decided).</summary>
    long ScoredSamples { get; }

    /// <summary>
    /// Windows given up as non-speech without the model because inference fell more than
    /// <see cref="VadOptions.MaxLagMs"/> behind: the call was deaf for that long (reported in <c>CallEnded</c>).
    /// </summary>
    long WindowsSkipped { get; }

    /// <summary>Windows scored 0 by the <see cref="SilenceGate"/> because they were plainly silent (not a loss).</summary>
    long WindowsGated { get; }

    /// <summary>Whether speech is in progress (a segment is open).</summary>
    bool InSpeech { get; }

    /// <summary>
    /// The rate (8,000 or 16,000 Hz) at which this detector scores audio that arrives at <paramref name="sampleRate"/>:
    /// a caller that already has the audio at that rate (the analysis needs 16 kHz anyway) should give it that, so the
    /// audio is converted once, not again inside the detector.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Neither 8,000 nor 16,000 Hz.</exception>
    int ScoringRate(int sampleRate);

    /// <summary>Adds 16 kHz mono samples and appends the segments closed since the last call.</summary>
    void Process(ReadOnlySpan<float> samples16k, List<SpeechSegment> completed);

    /// <summary>
    /// Adds mono samples at <paramref name="sampleRate"/> (8,000 or 16,000 Hz) and appends the segments closed since the
    /// last call. Narrowband audio given at 8 kHz is scored at 8 kHz (<see cref="VadOptions.NarrowbandAt8kHz"/>);
    /// segment and sample positions stay in 16 kHz samples either way.
    /// </summary>
    void Process(ReadOnlySpan<float> samples, int sampleRate, List<SpeechSegment> completed);

    /// <summary>Ends the stream: appends every segment still to close, the open one included when long enough.</summary>
    void Complete(List<SpeechSegment> completed);
}
