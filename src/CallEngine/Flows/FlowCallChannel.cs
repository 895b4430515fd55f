using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.CallEngine.Conversation;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Flows.Runtime.Conversation;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>
/// A flow's hands on one call, the same in the gateway and in a simulation: it renders prompts and decides when the
/// caller's keys or speech stop them, takes the caller's input from the engine, waits on the call's
/// <see cref="ICallClock"/>, and leaves carrying audio and signalling to the <see cref="ICallTransport"/>. Also the
/// flow's observer, to know the step a prompt or a transfer belongs to.
/// </summary>
public sealed partial class FlowCallChannel : ICallChannel, IConversationChannel, IFlowObserver
{
    // The record step's beep: 250 ms of 1 kHz at 8 kHz, a third of full scale, rendered once.
    private static readonly Lazy<ReadOnlyMemory<short>> Beep = new(() =>
    {
        var tone = new short[2000];
        for (int i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(10000 * Math.Sin(2 * Math.PI * 1000 * i / 8000.0));
        }

        return tone;
    });

    private readonly EngineCall _call;
    private readonly ICallTransport _transport;
    private readonly ISpeechSynthesizer _speech;
    private readonly IPromptStore _prompts;
    private readonly string _flowName;
    private readonly IFlowObserver? _next;
    private readonly ILogger _logger;
    private readonly Lock _promptGate = new();
    private string _step = string.Empty;
    private int _endingByFlow;
    private CancellationTokenSource? _prompt;
    private PromptInterruption _promptInterruptible;
    private PromptResult _promptStoppedBy;
    private bool _newPrompt = true;

    /// <summary>Creates the channel of <paramref name="call"/>'s flow <paramref name="flowName"/>.</summary>
    /// <param name="call">The call's engine.</param>
    /// <param name="info">Who called whom.</param>
    /// <param name="transport">What carries audio and signalling.</param>
    /// <param name="speech">Text to speech for <c>say</c>.</param>
    /// <param name="prompts">WAV prompts for <c>play</c>.</param>
    /// <param name="flowName">The flow's name (for <c>CallTransferred</c>).</param>
    /// <param name="next">Gets every trace after the channel (a simulation's printer); optional.</param>
    /// <param name="logger">Where traces are logged.</param>
    public FlowCallChannel(
        EngineCall call,
        CallInfo info,
        ICallTransport transport,
        ISpeechSynthesizer speech,
        IPromptStore prompts,
        string flowName,
        IFlowObserver? next = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        _call = call;
        Info = info;
        _transport = transport;
        _speech = speech;
        _prompts = prompts;
        _flowName = flowName;
        _next = next;
        _logger = logger ?? NullLogger.Instance;
        _call.Input.Posted += OnInput;
    }

    /// <inheritdoc />
    public CallInfo Info { get; }

    /// <inheritdoc />
    public ICallSignals Signals => _call.Signals;

    /// <summary>Whether the flow itself ended the call (hang-up or a transfer that took the caller away).</summary>
    public bool EndedByFlow => Volatile.Read(ref _endingByFlow) != 0;

    /// <summary>The step the flow is in.</summary>
    public string Step => Volatile.Read(ref _step);

    /// <summary>The call's conversation agent; null when no model endpoint is configured.</summary>
    public ConversationAgent? Conversation { get; set; }

    /// <inheritdoc />
    public async ValueTask<PromptResult> SayAsync(string text, string? voice, PromptInterruption interruptible, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<short> audio;
        try
        {
            audio = await _speech.SynthesizeAsync(text, voice, cancellationToken).ConfigureAwait(false);
        }
        catch (SpeechSynthesisException ex)
        {
            throw new FlowActionException($"text to speech failed: {ex.Message}", ex);
        }

        return await PlayAudioAsync(audio, interruptible, PromptId("say"), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<PromptResult> PlayAsync(string file, PromptInterruption interruptible, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<short> audio;
        try
        {
            audio = await _prompts.GetAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (PromptUnavailableException ex)
        {
            throw new FlowActionException($"prompt '{file}' cannot be played: {ex.Message}", ex);
        }

        return await PlayAudioAsync(audio, interruptible, PromptId("play"), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<ConverseResult> ConverseAsync(ConverseRequest request, CancellationToken cancellationToken) =>
        Conversation is { } agent
            ? agent.ConverseAsync(request, cancellationToken)
            : throw new FlowActionException("converse needs a model endpoint, and none is configured (Conversation:Endpoints:0:BaseUrl and :Model)");

    /// <inheritdoc />
    public async ValueTask PauseAsync(TimeSpan length, CancellationToken cancellationToken)
    {
        // Nothing is played, so the caller hears silence; input keeps queueing as during a prompt.
        await _call.Clock.WaitAsync(static () => false, length, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<CallerInput?> NextInputAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var input = _call.Input;
        if (!input.TryTake(out var taken))
        {
            if (timeout <= TimeSpan.Zero)
            {
                return null;
            }

            await _call.Clock.WaitAsync(() => input.HasInput || input.IsCompleted, timeout, cancellationToken).ConfigureAwait(false);
            if (!input.TryTake(out taken))
            {
                return null;
            }
        }

        if (taken.Turn is not { } turn)
        {
            return taken;
        }

        turn = await SettleAsync(turn, taken.At, cancellationToken).ConfigureAwait(false);
        if (taken.Kind == CallerInputKind.SpeechEnded
            && await _call.WordsOf(turn.Number).WaitAsync(cancellationToken).ConfigureAwait(false) is { } heard)
        {
            return taken with { Turn = turn with { Text = heard.Text }, Text = heard.Text, Confidence = heard.Confidence };
        }

        return taken with { Turn = turn };
    }

    /// <summary>
    /// The turn as the flow decides on it: its analysis is awaited up to <see cref="EngineCall.TurnAnalysisWait"/> after
    /// the turn ended, so that what the flow reads next (emotion, vocal sounds, frustration) is this turn's. When it is
    /// not done by then the record says so and the flow reads <c>unknown</c>.
    /// </summary>
    private async ValueTask<CallerTurn> SettleAsync(CallerTurn turn, TimeSpan endedAt, CancellationToken cancellationToken)
    {
        var analysis = _call.Analysis;
        var left = _call.TurnAnalysisWait - (_call.SinceConfirmed - endedAt);
        if (!analysis.IsTurnSettled(turn.Number) && left > TimeSpan.Zero)
        {
            await _call.Clock.WaitAsync(() => analysis.IsTurnSettled(turn.Number), left, cancellationToken).ConfigureAwait(false);
        }

        return analysis.Turn(turn.Number) ?? turn;
    }

    /// <inheritdoc />
    public void ClearInput() => _call.Input.Clear();

    /// <inheritdoc />
    public ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, TransferRequester requestedBy, CancellationToken cancellationToken) =>
        TransferAsync(target, mode, timeout, requestedBy == TransferRequester.Model ? "model" : "flow", cancellationToken);

    /// <summary>
    /// A transfer the far end asked for (SIP REFER) and the flow allows: the gateway calls <paramref name="target"/> and
    /// connects the caller to it, as a bridging <c>transfer</c> step would; <c>CallTransferred</c> says
    /// <c>requestedBy: remote</c>.
    /// </summary>
    public ValueTask<TransferOutcome> TransferRequestedAsync(string target, TimeSpan timeout, CancellationToken cancellationToken) =>
        TransferAsync(target, TransferMode.Bridge, timeout, "remote", cancellationToken);

    private async ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, string requestedBy, CancellationToken cancellationToken)
    {
        // After a REFER the peer ends our leg itself; that end is the flow's doing, not the caller's. A bridge only
        // counts once the agent answered: until then the caller may still hang up on the flow.
        if (mode == TransferMode.Refer)
        {
            Interlocked.Exchange(ref _endingByFlow, 1);
        }

        var step = Step;
        var wire = mode.ToString().ToLowerInvariant();
        var outcome = await _transport.TransferAsync(
            target, mode, timeout, () => _call.PublishTransferred(target, wire, step, _flowName, requestedBy), cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _endingByFlow, outcome.Succeeded ? 1 : 0);
        LogTransfer(_logger, _call.CallId, target, outcome.StatusCode, outcome.Reason);
        return outcome;
    }

    /// <inheritdoc />
    public async ValueTask<RecordingResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Beep)
        {
            await PlayAudioAsync(Beep.Value, PromptInterruption.None, "beep", cancellationToken).ConfigureAwait(false);
        }

        // A key pressed before the beep must not end the recording before it starts.
        _call.Input.Clear();
        var recording = _transport.StartRecording(request.StepName);
        string endedBy;
        try
        {
            endedBy = await new RecordingEndWatch(_call, request).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also when the caller hung up or a handler took over: what was recorded is kept.
            Close(recording);
        }

        if (recording.Failure is { } failure)
        {
            throw new FlowActionException($"recording '{recording.Path}' could not be written: {failure.Message}", failure);
        }

        return new RecordingResult(recording.Path, recording.Length, endedBy);
    }

    /// <inheritdoc />
    public async ValueTask HangupAsync(string reason)
    {
        Interlocked.Exchange(ref _endingByFlow, 1);
        _call.StopListening();
        await _transport.HangupAsync(string.IsNullOrWhiteSpace(reason) ? "flow-hangup" : reason).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void OnTrace(FlowTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        Volatile.Write(ref _step, trace.Step);
        if (trace.Kind is "step" or "input")
        {
            // A prompt after a new step or after the caller's answer (or its absence) is a new prompt; one that
            // follows another with neither in between is the step's own loop and no repetition of the menu.
            Volatile.Write(ref _newPrompt, true);
        }

        LogTrace(_logger, _call.CallId, trace.At.TotalSeconds, trace.Kind, trace.Step, trace.Detail);
        _next?.OnTrace(trace);
    }

    private static void Close(ICallRecording recording)
    {
        try
        {
            recording.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FlowActionException($"recording '{recording.Path}' could not be written: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The step name identifies a prompt to the frustration tracker (a replayed menu is the same step). Never the
    /// rendered text: templates can put a caller's data into it, and the id reaches FrustrationChanged events.
    /// </summary>
    private string PromptId(string verb) => Step is { Length: > 0 } step ? step : verb;

    private async ValueTask<PromptResult> PlayAudioAsync(
        ReadOnlyMemory<short> audio, PromptInterruption interruptible, string promptId, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_promptGate)
        {
            _prompt = stop;
            _promptInterruptible = interruptible;
            _promptStoppedBy = PromptResult.Completed;
        }

        _call.OnPromptStarted(promptId, continuation: !Volatile.Read(ref _newPrompt));
        Volatile.Write(ref _newPrompt, false);
        try
        {
            var playing = _transport.PlayAsync(audio, stop.Token);
            _ = playing.ContinueWith(static (_, clock) => ((ICallClock)clock!).Wake(), _call.Clock, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await _call.Clock.WaitAsync(() => playing.IsCompleted, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            var completed = await playing.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            lock (_promptGate)
            {
                return completed ? PromptResult.Completed : _promptStoppedBy;
            }
        }
        finally
        {
            lock (_promptGate)
            {
                _prompt = null;
            }

            _call.OnPromptFinished();
        }
    }

    /// <summary>The engine's decision about the prompt playing: the caller's key or speech stops it when the step allows.</summary>
    private void OnInput(CallerInput input)
    {
        var (allows, reason) = input.Kind switch
        {
            CallerInputKind.Digit => (PromptInterruption.Keys, PromptResult.KeyPressed),
            CallerInputKind.SpeechStarted => (PromptInterruption.Speech, PromptResult.BargedIn),
            _ => (PromptInterruption.None, PromptResult.Completed),
        };
        if (allows == PromptInterruption.None)
        {
            return;
        }

        CancellationTokenSource? stop = null;
        lock (_promptGate)
        {
            if (_prompt is not null && (_promptInterruptible & allows) != 0 && _promptStoppedBy == PromptResult.Completed)
            {
                stop = _prompt;
                _promptStoppedBy = reason;
            }
        }

        try
        {
            stop?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The prompt ended in the meantime.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} flow {At:F2}s {Kind} [{Step}] {Detail}")]
    private static partial void LogTrace(ILogger logger, string callId, double at, string kind, string step, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} transfer to {Target}: {Status} {Reason}")]
    private static partial void LogTransfer(ILogger logger, string callId, string target, int status, string reason);
}
