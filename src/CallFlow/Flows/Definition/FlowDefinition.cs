using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>
/// One validated call flow, immutable. A call keeps the instance it started with, so a reload that replaces
/// the flow never changes a call in progress.
/// </summary>
public sealed class FlowDefinition
{
    /// <summary>The flow's name; routes refer to it.</summary>
    public required string Name { get; init; }

    /// <summary>Identifies this revision of the file (a hash of its text), logged and carried to events.</summary>
    public required string Version { get; init; }

    /// <summary>The file it was loaded from.</summary>
    public required string File { get; init; }

    /// <summary>Free text for people; not used by the gateway.</summary>
    public string? Description { get; init; }

    /// <summary>espeak-ng voice for <c>say</c> steps without their own; null uses the gateway's default.</summary>
    public string? Voice { get; init; }

    /// <summary>
    /// Whether the far end may transfer the call with an in-dialog REFER (RFC 3515): the gateway then calls the
    /// Refer-To target and connects the caller to it. False (the default) refuses with 603 Decline.
    /// </summary>
    public bool AcceptRefer { get; init; }

    /// <summary>
    /// Played before the call is answered (early media, a 183 with SDP), then the call is answered and the flow starts
    /// at <see cref="Start"/>; null answers at once.
    /// </summary>
    public EarlyMediaAnnouncement? EarlyMedia { get; init; }

    /// <summary>Name of the first step.</summary>
    public required string Start { get; init; }

    /// <summary>Every step by name.</summary>
    public required IReadOnlyDictionary<string, FlowStep> Steps { get; init; }

    /// <summary>The flow-wide handlers.</summary>
    public FlowHandlers Handlers { get; init; } = new();

    /// <summary>Initial values of <c>vars.*</c>.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Variables { get; init; } = new Dictionary<string, JsonNode?>();
}
