using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary><c>set</c>: assigns <c>vars.*</c>.</summary>
public sealed record SetStep : FlowStep
{
    /// <summary>Variable name → value (templates are rendered when the step runs; other scalars are literals).</summary>
    public required IReadOnlyDictionary<string, FlowValueSource> Values { get; init; }

    /// <inheritdoc />
    public override string Verb => "set";
}
