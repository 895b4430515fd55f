namespace StepAudio.Telephony.CallFlow.Prompts;

/// <summary>Where recorded prompts live and how many are kept converted (section <c>Prompts</c>).</summary>
public sealed class PromptOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Prompts";

    /// <summary>The folder prompt names are resolved in; names may not leave it.</summary>
    public string Directory { get; set; } = "config/prompts";

    /// <summary>
    /// The most converted audio kept in memory (16 MiB is about 17 minutes of 8 kHz audio). The least recently
    /// used prompts are dropped first; a prompt larger than this is converted on every use.
    /// </summary>
    public long CacheBytes { get; set; } = 16 * 1024 * 1024;
}
