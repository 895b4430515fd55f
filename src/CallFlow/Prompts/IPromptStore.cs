namespace StepAudio.Telephony.CallFlow.Prompts;

/// <summary>Recorded prompts, ready to play: 8 kHz mono linear PCM.</summary>
public interface IPromptStore
{
    /// <summary>Loads the prompt <paramref name="name"/> (a file name relative to the prompt directory).</summary>
    /// <returns>The samples; shared with other callers, so never written to.</returns>
    /// <exception cref="PromptUnavailableException">The file is missing, unreadable or not audio.</exception>
    ValueTask<ReadOnlyMemory<short>> GetAsync(string name, CancellationToken cancellationToken);
}
