namespace StepAudio.Telephony.Inference.Recognition;

/// <summary>Turns a caller's turn into words.</summary>
public interface ISpeechRecognizer
{
    /// <summary>
    /// Recognises <paramref name="pcm16k"/> (16 kHz mono float). Throws <see cref="SpeechRecognitionException"/> when
    /// the backend failed or timed out; <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fired.
    /// </summary>
    ValueTask<RecognitionResult> RecognizeAsync(ReadOnlyMemory<float> pcm16k, CancellationToken cancellationToken);
}
