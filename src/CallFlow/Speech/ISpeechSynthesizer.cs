namespace StepAudio.Telephony.CallFlow.Speech;

/// <summary>Turns text into telephone-band audio; a better engine can replace espeak-ng behind this.</summary>
public interface ISpeechSynthesizer
{
    /// <summary>
    /// Renders <paramref name="text"/> as 8 kHz, 16-bit mono PCM in <paramref name="voice"/> (null: the configured
    /// default). Implementations cache by text and voice, so prompts repeated on every call are rendered once.
    /// </summary>
    ValueTask<ReadOnlyMemory<short>> SynthesizeAsync(string text, string? voice, CancellationToken cancellationToken);
}
