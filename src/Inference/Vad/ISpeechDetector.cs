namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// Speech detection for one call, however the model is driven: inline at batch 1 (<see cref="SpeechDetector"/>) or
/// through the shared batching scheduler (<see cref="Batching.BatchedSpeechDetector"/>). One owner, not thread-safe.
/// </summary>
public interface ISpeechDetector : IDisposable
{
    /// <summary>Raised on the owner's thread, inside <see cref="Process"/> or <see cref="Complete"/>, when speech begins.</summary>
    event EventHandler<SpeechStartedEventArgs>? SpeechStarted;

    /// <summary>Adds 16 kHz mono samples and appends the segments closed since the last call.</summary>
    void Process(ReadOnlySpan<float> samples16k, List<SpeechSegment> completed);

    /// <summary>Ends the stream: appends every segment still to close, the open one included when long enough.</summary>
    void Complete(List<SpeechSegment> completed);
}
