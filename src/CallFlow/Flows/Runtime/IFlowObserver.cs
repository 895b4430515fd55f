namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>Receives the trace of a running flow; called on the flow's thread, so it must return quickly.</summary>
public interface IFlowObserver
{
    /// <summary>One traced action.</summary>
    void OnTrace(FlowTrace trace);
}
