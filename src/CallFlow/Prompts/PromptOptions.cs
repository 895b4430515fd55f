namespace StepAudio.Telephony.CallFlow.Prompts;

/// <summary>Where recorded prompts live and how many are kept converted (section <c>Prompts</c>).</summary>
public sealed class PromptOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Prompts";

    /// <summary>The folder next to the flows that holds their prompts when <see cref="Directory"/> is not set.</summary>
    public const string FolderNextToFlows = "prompts";

    /// <summary>
    /// The folder prompt names are resolved in; names may not leave it. Empty (the default): the
    /// <see cref="FolderNextToFlows"/> folder beside the flows, as the host resolves it.
    /// </summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>The sox executable, which reads any common WAV and converts it to 8 kHz mono 16-bit.</summary>
    public string SoxPath { get; set; } = "sox";

    /// <summary>
    /// The most converted audio kept in memory (16 MiB is about 17 minutes of 8 kHz audio). The least recently
    /// used prompts are dropped first; a prompt larger than this is converted on every use.
    /// </summary>
    public long CacheBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Longest time one conversion may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
}
