using StepAudio.Telephony.CallFlow.Prompts;

namespace StepAudio.Telephony.CallEngine.Tests.Flows;

/// <summary>A prompt store whose every prompt is one 20 ms frame of silence.</summary>
internal sealed class SilentPrompts : IPromptStore
{
    public ValueTask<ReadOnlyMemory<short>> GetAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ReadOnlyMemory<short>>(new short[160]);
}
