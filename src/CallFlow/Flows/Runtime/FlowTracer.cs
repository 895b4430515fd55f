using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>Hands one call's trace entries (step, verb, handler, end) to the flow's observer, stamped with the call's clock.</summary>
internal sealed class FlowTracer(IFlowObserver? observer, ICallChannel channel, CallFlowScope scope, ILogger logger)
{
    public void Trace(string kind, string detail)
    {
        if (observer is null)
        {
            return;
        }

        try
        {
            observer.OnTrace(new FlowTrace(channel.Signals.Now, kind, scope.Step, detail));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A broken observer (a log sink, the simulator's printer) must not change what the caller experiences.
            FlowExecutionLog.ObserverFailed(logger, channel.Info.CallId, ex);
        }
    }
}
