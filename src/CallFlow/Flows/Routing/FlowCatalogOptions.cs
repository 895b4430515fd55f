using StepAudio.Telephony.CallFlow.Flows.Validation;

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
    /// What flows are checked against besides their YAML (prompt files, voices), at start-up and on every reload;
    /// null checks the YAML only. Set by the host, not bound from configuration.
    /// </summary>
    public FlowEnvironment? Environment { get; set; }
}
