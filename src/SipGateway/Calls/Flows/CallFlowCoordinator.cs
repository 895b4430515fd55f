using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.CallEngine.Conversation;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Routing;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.SipGateway.Media.Recording;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// Gives every answered call its flow: picks the flow from the catalog's current set at INVITE time, builds the
/// call's channel and signals, and ticks every running call's signals from one shared timer (a timer per call would
/// cost a timer queue entry per call for nothing).
/// </summary>
internal sealed partial class CallFlowCoordinator : IDisposable
{
    /// <summary>How often running flows re-check time-based handlers (on_frustration's <c>for</c>).</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<CallFlowRun, EngineSignals> _running = new();

    // Bridged calls by the agent leg's dialog id: either leg's end ends the other.
    private readonly ConcurrentDictionary<string, (CallBridge Bridge, CallSession Caller)> _bridges = new(StringComparer.Ordinal);
    private readonly CallBridgeDialer _dialer;
    private readonly FlowCatalog _catalog;
    private readonly FlowRunner _runner;
    private readonly ISpeechSynthesizer _speech;
    private readonly IPromptStore _prompts;
    private readonly CallTrunkResolver _trunks;
    private readonly RecordingOptions _recording;
    private readonly TimeZoneInfo _timeZone;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private IFlowCallControl? _control;
    private CallFlowServices? _services;
    private readonly ConversationServices? _conversation;

    public CallFlowCoordinator(
        FlowCatalog catalog,
        FlowRunner runner,
        ISpeechSynthesizer speech,
        IPromptStore prompts,
        CallTrunkResolver trunks,
        IOptions<RecordingOptions> recording,
        FlowRunnerOptions runnerOptions,
        RtpPortAllocator ports,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        IOptions<RtpOptions>? rtpOptions = null,
        ConversationServices? conversation = null)
    {
        _conversation = conversation;
        _dialer = new CallBridgeDialer(ports, rtpOptions?.Value, time, loggerFactory);
        _catalog = catalog;
        _runner = runner;
        _speech = speech;
        _prompts = prompts;
        _trunks = trunks;
        _recording = recording.Value;
        _timeZone = runnerOptions.TimeZone;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<CallFlowCoordinator>();
    }

    public int RunningFlows => _running.Count;

    /// <summary>Signalling is up: flows can hang up and transfer, and the shared tick starts.</summary>
    public void Attach(IFlowCallControl control)
    {
        _control = control;
        _services = new CallFlowServices(_speech, _prompts, control, _recording, _dialer, OnBridged);
        _ = RunTicksAsync(_stopping.Token);
    }

    /// <summary>
    /// Chooses the call's flow and wires its input; the flow starts on ACK (<see cref="CallFlowRun.Start"/>).
    /// Returns false, leaving the call to the greeting, when signalling is not attached yet.
    /// </summary>
    public bool Prepare(CallSession session, IncomingCall call)
    {
        ArgumentNullException.ThrowIfNull(session);
        var services = _services;
        if (services is null)
        {
            return false;
        }

        var info = CallInfoFactory.Create(session.CallId, call, _trunks);
        var flow = Select(info);
        var transport = new SipCallTransport(session, services);
        var channel = new FlowCallChannel(
            session.Engine, info, transport, services.Speech, services.Prompts, flow.Name,
            logger: _loggerFactory.CreateLogger<FlowCallChannel>());
        if (_conversation is not null)
        {
            channel.Conversation = new ConversationAgent(session.Engine, transport, _conversation);
        }

        var run = new CallFlowRun(flow, channel, _runner, _time, _loggerFactory.CreateLogger<CallFlowRun>());
        session.Flow = run;
        var signals = session.Engine.Signals;
        _running[run] = signals;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var (called, trunk) = (LogText.Safe(info.Called), LogText.Safe(info.Trunk ?? "-"));
            LogSelected(_logger, session.CallId, called, trunk, flow.Name, flow.Version);
        }

        return true;
    }

    /// <summary>
    /// Plays the call's flow's <c>early_media</c> announcement before the call is answered (<see cref="EarlyMediaAnnouncer"/>);
    /// false at once when the flow has none.
    /// </summary>
    public Task<bool> PlayEarlyMediaAsync(CallSession session, IncomingCall call, System.Net.IPEndPoint localRtp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Flow is not { Flow.EarlyMedia: not null } run || _services is not { } services)
        {
            return Task.FromResult(false);
        }

        var announcer = new EarlyMediaAnnouncer(new EarlyMediaPlayer(services.Speech, services.Prompts), _logger);
        return announcer.PlayAsync(session, run.Flow, call, localRtp, cancellationToken);
    }

    /// <summary>The call ended: its flow stops (unless it ended the call) and leaves the tick; a bridged agent is hung up.</summary>
    public void OnCallEnded(CallSession session, string endedBy, string reason)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Flow is { } run)
        {
            run.OnCallEnded(endedBy, reason);
            _running.TryRemove(run, out _);
        }

        foreach (var (agentDialog, bridged) in _bridges)
        {
            if (bridged.Caller == session && _bridges.TryRemove(agentDialog, out _))
            {
                _ = EndBridgeAsync(bridged.Bridge, hangUp: agentDialog, bridged.Caller.CallId);
            }
        }
    }

    /// <summary>
    /// A dialog that is no answered call ended: when it is a bridge's agent leg, the caller's leg ends too
    /// (reason <c>agent-hangup</c>).
    /// </summary>
    public void OnOtherDialogEnded(string dialogId)
    {
        if (_bridges.TryRemove(dialogId, out var bridged))
        {
            bridged.Caller.TrySetHangupReason("agent-hangup");
            _ = EndBridgeAsync(bridged.Bridge, hangUp: bridged.Bridge.CallerDialogId, bridged.Caller.CallId);
        }
    }

    private void OnBridged(CallBridge bridge, CallSession caller)
    {
        _bridges[bridge.AgentDialogId!] = (bridge, caller);
        LogBridged(_logger, caller.CallId, bridge.AgentDialogId!);
    }

    private async Task EndBridgeAsync(CallBridge bridge, string hangUp, string callId)
    {
        try
        {
            if (_control is { } control)
            {
                await control.HangUpAsync(hangUp, CancellationToken.None).ConfigureAwait(false);
            }

            if (bridge.AgentRtp is { } agent)
            {
                var stats = agent.GetStatistics();
                await agent.DisposeAsync().ConfigureAwait(false);
                LogBridgeEnded(_logger, callId, bridge.CallerFramesRelayed, bridge.AgentFramesRelayed, stats.PacketsReceived);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogBridgeEndFailed(_logger, callId, ex);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    // The catalog's current set at INVITE time; the call keeps this definition whatever reloads follow.
    private FlowDefinition Select(CallInfo info) => _catalog.Current.Select(info, _time.GetUtcNow(), _timeZone);

    private async Task RunTicksAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var signals in _running.Values)
                {
                    try
                    {
                        signals.Tick();
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        LogTickFailed(_logger, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} to {Called} (trunk {Trunk}) runs flow {Flow} version {Version}")]
    private static partial void LogSelected(ILogger logger, string callId, string called, string trunk, string flow, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} bridged to agent leg {AgentDialog}")]
    private static partial void LogBridged(ILogger logger, string callId, string agentDialog);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} bridge ended: {CallerFrames} caller frames relayed to the agent, {AgentFrames} agent frames to the caller, {AgentPackets} RTP packets from the agent")]
    private static partial void LogBridgeEnded(ILogger logger, string callId, long callerFrames, long agentFrames, long agentPackets);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ending the bridge of call {CallId} failed")]
    private static partial void LogBridgeEndFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A flow's signal handler failed on the shared tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
