namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>Where flows live and how changes are picked up (section <c>CallFlow</c>, shared with the listening policy).</summary>
public sealed class FlowCatalogOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "CallFlow";

    /// <summary>Directory of flow files and routes.yaml.</summary>
    public string Directory { get; set; } = "config/flows";

    /// <summary>Whether to reload when a file changes.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>Quiet time after the last change before reloading: editors write a file in several steps.</summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time zone id for schedules that name none; null uses the machine's.</summary>
    public string? TimeZone { get; set; }

    /// <summary>
    /// Whether a conversation endpoint is configured; set by the host from <c>Conversation:Endpoints</c>, not by
    /// users. Without one, flows that use <c>converse</c> are refused.
    /// </summary>
    public bool ConversationConfigured { get; set; }
}
