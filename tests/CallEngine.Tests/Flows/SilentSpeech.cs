using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.CallEngine.Tests.Flows;

/// <summary>Text to speech that renders one 20 ms frame of silence.</summary>
internal sealed class SilentSpeech : ISpeechSynthesizer
{
    public ValueTask<ReadOnlyMemory<short>> SynthesizeAsync(string text, string? voice, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ReadOnlyMemory<short>>(new short[160]);
}
