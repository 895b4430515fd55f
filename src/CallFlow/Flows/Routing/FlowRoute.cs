using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>
/// One entry of routes.yaml. It matches a call by <see cref="Did"/> (exact, or a prefix when it ends in <c>*</c>)
/// and/or <see cref="Trunk"/>; the call then gets <see cref="Use"/> when <see cref="When"/> holds, else <see cref="Flow"/>.
/// Without <see cref="Use"/>, a false <see cref="When"/> means the route does not match.
/// </summary>
public sealed record FlowRoute
{
    /// <summary>Called number as written, or null.</summary>
    public string? Did { get; init; }

    /// <summary>Trunk name, or null.</summary>
    public string? Trunk { get; init; }

    /// <summary>The flow that answers.</summary>
    public required string Flow { get; init; }

    /// <summary>Optional condition.</summary>
    public FlowExpression? When { get; init; }

    /// <summary>Flow used instead of <see cref="Flow"/> while <see cref="When"/> holds.</summary>
    public string? Use { get; init; }

    /// <summary>Where the route was written.</summary>
    public required SourceLocation Location { get; init; }
}
