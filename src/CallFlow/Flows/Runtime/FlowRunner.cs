using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.CallFlow.Flows.Definition;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// Runs call flows: one <see cref="RunAsync"/> per call, from the flow's start step to an outcome. Stateless between
/// calls apart from the shared webhook client, so one instance serves the whole gateway.
/// </summary>
public sealed partial class FlowRunner
{
    private readonly IWebhookClient _webhooks;
    private readonly TimeProvider _time;
    private readonly FlowRunnerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the runner. <paramref name="time"/> gives time of day only; every wait goes through the call's channel.</summary>
    public FlowRunner(IWebhookClient webhooks, TimeProvider time, FlowRunnerOptions? options = null, ILogger<FlowRunner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentNullException.ThrowIfNull(time);
        _webhooks = webhooks;
        _time = time;
        _options = options ?? new FlowRunnerOptions();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        if (_options.MaxSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxSteps must be at least 1.");
        }
    }

    /// <summary>
    /// Runs <paramref name="flow"/> on one call until it ends. Never throws: flow problems and unexpected failures
    /// both end as <see cref="FlowOutcome.Failed"/> with the detail. <paramref name="callEnded"/> fires when the
    /// caller hung up; the outcome is then <see cref="FlowOutcome.Abandoned"/> unless the flow had already ended.
    /// </summary>
    public async Task<FlowResult> RunAsync(FlowDefinition flow, ICallChannel channel, IFlowObserver? observer, CancellationToken callEnded)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(channel);
        using var execution = new FlowExecution(flow, channel, observer, _webhooks, _time, _options, _logger, callEnded);
        FlowResult result;
        try
        {
            result = await execution.RunAsync();
        }
        catch (OperationCanceledException) when (callEnded.IsCancellationRequested)
        {
            result = new FlowResult(FlowOutcome.Abandoned, execution.LastStep, "caller hung up", flow.Name, flow.Version);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogUnexpected(_logger, channel.Info.CallId, flow.Name, execution.LastStep, ex);
            result = new FlowResult(
                FlowOutcome.Failed, execution.LastStep, $"internal error: {ex.GetType().Name}: {ex.Message}", flow.Name, flow.Version);
        }

        LogEnded(_logger, channel.Info.CallId, flow.Name, flow.Version, result.Outcome, result.LastStep, result.Detail);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId}: flow {Flow} failed unexpectedly in step {Step}")]
    private static partial void LogUnexpected(ILogger logger, string callId, string flow, string? step, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: flow {Flow} ({Version}) ended {Outcome} in step {Step}: {Detail}")]
    private static partial void LogEnded(ILogger logger, string callId, string flow, string version, FlowOutcome outcome, string? step, string detail);
}
