using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Synthesis;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>An OpenAI-compatible <c>/v1/audio/speech</c> endpoint as the flows' speech synthesizer (instead of espeak-ng).</summary>
public sealed class EndpointSpeechSynthesizer(OpenAiSpeechSynthesizer endpoint) : ISpeechSynthesizer
{
    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<short>> SynthesizeAsync(string text, string? voice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        try
        {
            return await endpoint.SynthesizeAsync(text, voice, cancellationToken).ConfigureAwait(false);
        }
        catch (SpeechEndpointException ex)
        {
            throw new SpeechSynthesisException(ex.Message, ex);
        }
    }
}
