using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.SipGateway.Media.Playback;
using StepAudio.Telephony.SipGateway.Media.Recording;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// A flow's hands on one live call: prompts go through the call's <see cref="CallPlayout"/> (so barge-in and the
/// analysis' prompt tracking behave as for the greeting), input comes from the call's <see cref="CallerInputQueue"/>,
/// and hang-up and transfer go to signalling. Also the flow's observer, to know the step a transfer happens in.
/// </summary>
internal sealed partial class CallFlowChannel : ICallChannel, IFlowObserver
{
    private static readonly TimeSpan RecordingPoll = TimeSpan.FromMilliseconds(100);

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

    private readonly CallSession _session;
    private readonly CallerInputQueue _input;
    private readonly CallFlowServices _services;
    private readonly string _flowName;
    private readonly ILogger _logger;
    private string _step = string.Empty;
    private int _endingByFlow;
    private int _digitBargeIn;
    private int _recordings;

    public CallFlowChannel(
        CallSession session,
        CallInfo info,
        CallFlowSignals signals,
        CallerInputQueue input,
        CallFlowServices services,
        string flowName,
        ILogger logger)
    {
        _session = session;
        Info = info;
        Signals = signals;
        _input = input;
        _services = services;
        _flowName = flowName;
        _logger = logger;
        _input.Posted += OnInput;
    }

    /// <inheritdoc />
    public CallInfo Info { get; }

    /// <inheritdoc />
    public ICallSignals Signals { get; }

    /// <summary>Whether the flow itself ended the call (hang-up or a transfer that took the caller away).</summary>
    public bool EndedByFlow => Volatile.Read(ref _endingByFlow) != 0;

    /// <inheritdoc />
    public async ValueTask<PromptResult> SayAsync(string text, string? voice, bool bargeIn, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<short> audio;
        try
        {
            audio = await _services.Speech.SynthesizeAsync(text, voice, cancellationToken).ConfigureAwait(false);
        }
        catch (SpeechSynthesisException ex)
        {
            throw new FlowActionException($"text to speech failed: {ex.Message}", ex);
        }

        return await PlayAudioAsync(audio, bargeIn, PromptId("say"), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<PromptResult> PlayAsync(string file, bool bargeIn, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<short> audio;
        try
        {
            audio = await _services.Prompts.GetAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (PromptUnavailableException ex)
        {
            throw new FlowActionException($"prompt '{file}' cannot be played: {ex.Message}", ex);
        }

        return await PlayAudioAsync(audio, bargeIn, PromptId("play"), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask PauseAsync(TimeSpan length, CancellationToken cancellationToken)
    {
        // Between prompts the caller hears silence already (nothing is played), so waiting is all a pause needs.
        await Task.Delay(length, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<CallerInput?> NextInputAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _input.NextAsync(timeout, cancellationToken);

    /// <inheritdoc />
    public void ClearInput() => _input.Clear();

    /// <inheritdoc />
    public async ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (mode == TransferMode.Bridge)
        {
            return await BridgeAsync(target, timeout, cancellationToken).ConfigureAwait(false);
        }

        // On success the UAS ends our leg itself (BYE, reason "transferred"); that end is the flow's doing, not the caller's.
        Interlocked.Exchange(ref _endingByFlow, 1);
        _session.TrySetHangupReason("transferred");
        _session.Playout?.StopAll();
        var step = Volatile.Read(ref _step);
        var outcome = await _services.Control.ReferAsync(
            _session.Description.DialogId, target, timeout, () => _session.PublishTransferred(target, "refer", step, _flowName), cancellationToken)
            .ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            Interlocked.Exchange(ref _endingByFlow, 0);
        }

        LogTransfer(_logger, _session.CallId, target, outcome.StatusCode, outcome.Reason);
        return outcome;
    }

    private async ValueTask<TransferOutcome> BridgeAsync(string target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The caller hears nothing more from the flow: from here on the agent speaks. Analysis keeps listening.
        _session.Playout?.StopAll();
        var (outcome, bridge) = await _services.Dialer.DialAsync(_session, _services.Control, target, timeout, cancellationToken).ConfigureAwait(false);
        CallFlowMetrics.Bridges.Add(1, new KeyValuePair<string, object?>("status", outcome.StatusCode));
        if (bridge is not null)
        {
            Interlocked.Exchange(ref _endingByFlow, 1);
            _services.Bridged(bridge, _session);
            _session.PublishTransferred(target, "bridge", Volatile.Read(ref _step), _flowName);
        }

        LogTransfer(_logger, _session.CallId, target, outcome.StatusCode, outcome.Reason);
        return outcome;
    }

    /// <inheritdoc />
    public async ValueTask<RecordingResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_services.Recording.MessagesAllowed)
        {
            throw new FlowActionException("message recording is disabled in the gateway configuration (Recording:Messages)");
        }

        var directory = Path.GetFullPath(_services.Recording.Directory);
        var path = Path.Combine(directory, $"{_session.CallId}-{Interlocked.Increment(ref _recordings)}.wav");
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FlowActionException($"recording directory '{directory}' is not writable: {ex.Message}", ex);
        }

        if (request.Beep)
        {
            await PlayAudioAsync(Beep.Value, bargeIn: false, "beep", cancellationToken).ConfigureAwait(false);
        }

        // A key pressed before the beep must not end the recording before it starts.
        _input.Clear();
        var recording = new StepRecording(path);
        string endedBy;
        _session.CallerAudioTap = recording;
        try
        {
            endedBy = await WaitForRecordingEndAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The caller hung up or a handler took over: keep what was recorded, and let the flow go on.
            _session.CallerAudioTap = null;
            Close(recording);
            throw;
        }

        _session.CallerAudioTap = null;
        Close(recording);
        if (recording.Failure is { } failure)
        {
            throw new FlowActionException($"recording '{path}' could not be written: {failure.Message}", failure);
        }

        return new RecordingResult(path, recording.Length, endedBy);
    }

    /// <inheritdoc />
    public async ValueTask HangupAsync(string reason)
    {
        Interlocked.Exchange(ref _endingByFlow, 1);
        _session.TrySetHangupReason(string.IsNullOrWhiteSpace(reason) ? "flow-hangup" : reason);
        await _services.Control.HangUpAsync(_session.Description.DialogId, CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void OnTrace(FlowTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        Volatile.Write(ref _step, trace.Step);
        LogTrace(_logger, _session.CallId, trace.At.TotalSeconds, trace.Kind, trace.Step, trace.Detail);
    }

    private static void Close(StepRecording recording)
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

    private async ValueTask<string> WaitForRecordingEndAsync(RecordRequest request, CancellationToken cancellationToken)
    {
        var started = Signals.Now;
        while (true)
        {
            var now = Signals.Now;
            if (now - started >= request.MaxLength)
            {
                return "max_length";
            }

            var heard = Signals.LastCallerActivity > started ? Signals.LastCallerActivity : started;
            if (request.SilenceTimeout > TimeSpan.Zero && now - heard >= request.SilenceTimeout)
            {
                return "silence";
            }

            // Short waits so the length and silence limits are checked while no key comes.
            var input = await _input.NextAsync(RecordingPoll, cancellationToken).ConfigureAwait(false);
            if (input is { Kind: CallerInputKind.Digit } key && key.Digit == request.FinishOnKey)
            {
                return "finish_key";
            }
        }
    }

    /// <summary>
    /// The step name identifies a prompt to the frustration tracker (a replayed menu is the same step). Never the
    /// rendered text: templates can put a caller's data into it, and the id reaches FrustrationChanged events.
    /// </summary>
    private string PromptId(string verb) => Volatile.Read(ref _step) is { Length: > 0 } step ? step : verb;

    private async ValueTask<PromptResult> PlayAudioAsync(ReadOnlyMemory<short> audio, bool bargeIn, string promptId, CancellationToken cancellationToken)
    {
        var playout = _session.Playout ?? throw new FlowActionException("the call has no media to play to");
        _session.OnPrompt(started: true, promptId);
        Volatile.Write(ref _digitBargeIn, bargeIn ? 1 : 0);
        PlayoutResult result;
        try
        {
            result = await playout.PlayAsync(audio, bargeIn, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _digitBargeIn, 0);
            _session.OnPrompt(started: false, promptId);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return result == PlayoutResult.BargedIn ? PromptResult.BargedIn : PromptResult.Completed;
    }

    private void OnInput(CallerInput input)
    {
        // Speech barges in through the playout itself (CallMedia.OnSpeechStarted); a key press does here.
        if (input.Kind == CallerInputKind.Digit && Volatile.Read(ref _digitBargeIn) != 0)
        {
            _session.Playout?.BargeIn();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} flow {At:F2}s {Kind} [{Step}] {Detail}")]
    private static partial void LogTrace(ILogger logger, string callId, double at, string kind, string step, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} transfer to {Target}: {Status} {Reason}")]
    private static partial void LogTransfer(ILogger logger, string callId, string target, int status, string reason);
}
