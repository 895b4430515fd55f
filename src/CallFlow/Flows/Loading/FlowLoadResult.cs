using StepAudio.Telephony.CallFlow.Flows.Definition;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>A loaded flow, or every mistake that kept it from loading.</summary>
public sealed class FlowLoadResult
{
    internal FlowLoadResult(FlowDefinition? flow, IReadOnlyList<FlowError> errors)
    {
        Flow = errors.Count == 0 ? flow : null;
        Errors = errors;
    }

    /// <summary>The flow; null when <see cref="Errors"/> is not empty.</summary>
    public FlowDefinition? Flow { get; }

    /// <summary>Every mistake, in file order.</summary>
    public IReadOnlyList<FlowError> Errors { get; }

    /// <summary>Whether the flow loaded without mistakes.</summary>
    public bool IsValid => Flow is not null;
}
