namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>A changed directory loaded and replaced the current set.</summary>
public sealed class FlowSetReloadedEventArgs(FlowSet previous, FlowSet current) : EventArgs
{
    /// <summary>The set calls already in progress keep using.</summary>
    public FlowSet Previous { get; } = previous;

    /// <summary>The set new calls get.</summary>
    public FlowSet Current { get; } = current;
}
