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

    /// <summary>
    /// The most converted audio kept in memory (16 MiB is about 17 minutes of 8 kHz audio). The least recently
    /// used prompts are dropped first; a prompt larger than this is converted on every use.
    /// </summary>
    public long CacheBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Longest time the download of a <c>play: https://…</c> prompt may take, headers and body together.</summary>
    public TimeSpan UrlTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest prompt that is downloaded (8 MiB is over 8 minutes of 16-bit 8 kHz WAV); larger ones fail.</summary>
    public long UrlMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// How long a downloaded prompt is reused before it is fetched again. When the new fetch fails, the old audio
    /// keeps playing: a backend hiccup does not silence a prompt that worked.
    /// </summary>
    public TimeSpan UrlCacheTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many downloaded prompts are kept; past this the least recently fetched is dropped.</summary>
    public int UrlCacheEntries { get; set; } = 64;
}
