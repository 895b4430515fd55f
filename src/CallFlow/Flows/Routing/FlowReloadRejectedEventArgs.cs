using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>A changed directory did not validate; the current set stays.</summary>
public sealed class FlowReloadRejectedEventArgs(IReadOnlyList<FlowError> errors) : EventArgs
{
    /// <summary>Every error, as <c>validate</c> prints them.</summary>
    public IReadOnlyList<FlowError> Errors { get; } = errors;
}
