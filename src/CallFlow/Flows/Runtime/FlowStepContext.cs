using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallFlow.Flows.Definition;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// What one call's step loop and its verb executors share: the flow, the call, the flow's variables, the handler
/// monitor, the runner's options and the trace; and whether the flow is on its on_error path.
/// </summary>
internal sealed class FlowStepContext(
    FlowDefinition flow,
    ICallChannel channel,
    CallFlowScope scope,
    FlowHandlerMonitor monitor,
    FlowRunnerOptions options,
    FlowTracer tracer,
    ILogger logger)
{
    public FlowDefinition Flow { get; } = flow;

    public ICallChannel Channel { get; } = channel;

    public CallFlowScope Scope { get; } = scope;

    public FlowHandlerMonitor Monitor { get; } = monitor;

    public FlowRunnerOptions Options { get; } = options;

    /// <summary>
    /// Set when on_error sent the flow somewhere; a second unhandled failure before the caller answers a gather
    /// again ends the call instead of bouncing between a failing step and its error path.
    /// </summary>
    public bool InErrorPath { get; set; }

    public void Trace(string kind, string detail) => tracer.Trace(kind, detail);

    public async ValueTask HangupQuietlyAsync(string reason)
    {
        try
        {
            await Channel.HangupAsync(reason);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The outcome is decided; a call that is already gone cannot be hung up again.
            FlowExecutionLog.HangupFailed(logger, Channel.Info.CallId, ex);
        }
    }
}
