using System.Globalization;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Flows.Runtime.Conversation;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Conversation.Realtime;
using StepAudio.Telephony.Inference.Recognition;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// One call's conversations with the model (<c>converse</c> steps), the same in the gateway and in a simulation:
/// waits for each caller turn on the call's clock, gives the model the turn (audio or words) with the caller's
/// measured state, speaks the streamed reply (<see cref="ReplyPlayback"/>), keeps what the caller heard, carries out
/// the model's actions and publishes <c>ConversationTurn</c> for every model turn.
/// </summary>
public sealed partial class ConversationAgent : IDisposable
{
    private readonly EngineCall _call;
    private readonly ConversationServices _services;
    private readonly ICallTransport _transport;
    private readonly ReplyPlayback _playback;
    private readonly CallerStateTracker _state = new();
    private readonly EarlyRequestWait _turns;
    private readonly ModelTurnBuilder _builder;
    private readonly ConversationTurnReport _report;
    private readonly ILogger _logger;

    /// <summary>Creates the agent of one call; it starts listening to the call's events at once.</summary>
    public ConversationAgent(EngineCall call, ICallTransport transport, ConversationServices services)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(services);
        _call = call;
        _services = services;
        _transport = transport;
        _logger = services.Logger;
        _playback = new ReplyPlayback(call, transport, services.Speech, services.Client, services.Options, services.Logger);
        _builder = new ModelTurnBuilder(call, _state, services);

        // An early request carries the turn's audio only: it is sent only when the first endpoint takes audio.
        // A Realtime session keeps every item it is sent, so a request sent early is never made to one.
        var early = services.Options.EarlyRequestPause > TimeSpan.Zero && services.Client.Endpoints.Count > 0
            && services.Client.Endpoints[0].Options is { Input: ConversationInputMode.Audio, Api: ConversationApi.Chat };
        _turns = new EarlyRequestWait(call, new CallerTurnWait(call), _playback, _builder, early);
        if (early)
        {
            call.Conversation.WatchPauses(services.Options.EarlyRequestPause);
        }

        _report = new ConversationTurnReport(call, services.Client);
        _call.Conversation.Published += _state.Observe;
    }

    /// <summary>Runs one conversation until the model acts, a limit is reached or no endpoint answers.</summary>
    public async ValueTask<ConverseResult> ConverseAsync(ConverseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var allowed = request.Actions.Select(ParseAction).OfType<ConversationActionKind>().ToList();
        var options = _services.Options;
        await using var realtime = _services.Client.Endpoints.Any(e => e.Options.Api == ConversationApi.Realtime) ? new RealtimeConversation() : null;
        var session = new ConversationSession(request.Instructions, allowed, request.Steps, options.MaxOutputTokens, options.AudioTurnsKept) { Realtime = realtime };
        var started = _call.Signals.Now;
        var interruptions = 0;
        var interruptedLast = false;
        if (request.Greeting is { Length: > 0 } greeting)
        {
            var heard = await _playback.SpeakAsync(greeting, request.Voice, cancellationToken).ConfigureAwait(false);
            if (heard.Length > 0)
            {
                session.AddSpoken(heard);
            }
        }

        for (var turn = 1; ; turn++)
        {
            var remaining = request.MaxDuration - (_call.Signals.Now - started);
            if (turn > request.MaxTurns || remaining <= TimeSpan.Zero)
            {
                return new ConverseResult(ConverseEnding.LimitReached, null, turn > request.MaxTurns ? $"{request.MaxTurns} turns" : "max_duration", turn - 1);
            }

            var (ended, early) = await _turns.NextAsync(remaining, session.Request, request.Voice, turn, interruptedLast, interruptions, text => request.Trace("converse", text), cancellationToken).ConfigureAwait(false);
            if (ended is not { } decided)
            {
                return new ConverseResult(ConverseEnding.LimitReached, null, "max_duration", turn - 1);
            }

            var speechEnd = decided.At - (decided.Kind == CallerInputKind.SpeechEnded ? _call.Conversation.LastTurnLatency()?.Wall ?? TimeSpan.Zero : TimeSpan.Zero);
            ConversationAction? ending = null;
            var keys = new List<string>();
            ModelTurnInput callerTurn;
            ReplyOutcome reply;
            if (early is not null)
            {
                // The request sent at the pause is already streaming: play it now; the turn as it ended (its words and
                // emotion) goes into the history afterwards.
                early.Keep(action => ending ??= Apply(action, request, keys));
                reply = await _playback.PlayAsync(early, request.Voice, decided.At, cancellationToken).ConfigureAwait(false);
                callerTurn = await _builder.BuildAsync(turn, decided, interruptedLast, interruptions, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                callerTurn = await _builder.BuildAsync(turn, decided, interruptedLast, interruptions, cancellationToken).ConfigureAwait(false);
                reply = await _playback.PlayAsync(
                    session.Request(callerTurn),
                    request.Voice,
                    decided.At,
                    action => ending ??= Apply(action, request, keys),
                    cancellationToken).ConfigureAwait(false);
            }

            await SendKeysAsync(keys, reply.Interrupted, request, cancellationToken).ConfigureAwait(false);
            List<ReplyPart> toolCalls;
            lock (reply.ToolCalls)
            {
                toolCalls = [.. reply.ToolCalls];
            }

            session.Commit(callerTurn, reply.Heard.ToString(), reply.Interrupted, toolCalls, reply.HeardDuration);
            if (_services.Options.LogTranscripts && _logger.IsEnabled(LogLevel.Debug))
            {
                var heardText = reply.Heard.ToString();
                LogTranscript(_logger, _call.CallId, turn, callerTurn.Words ?? "(audio)", heardText);
            }

            _report.Publish(request.Step, turn, speechEnd, decided.At, reply, ending, callerTurn, _state.LatestSegment()?.EndSeconds ?? 0);
            var firstPacket = reply.FirstPacketAt is { } packetAt ? string.Create(CultureInfo.InvariantCulture, $"{(packetAt - speechEnd).TotalSeconds:0.000}s") : "-";
            request.Trace("converse", string.Create(CultureInfo.InvariantCulture,
                $"turn {turn}: {reply.Outcome} via {reply.Endpoint ?? "-"}, first reply packet {firstPacket} after speech end{(reply.EarlyRequest ? " (request sent at a pause)" : string.Empty)}, heard {reply.HeardDuration.TotalSeconds:0.0}s{(ending is null ? string.Empty : ", " + ending.ToolName)}"));
            if (reply.Failure == "failed")
            {
                return new ConverseResult(ConverseEnding.Failed, null, reply.FailureDetail ?? "no endpoint answered", turn);
            }

            interruptedLast = reply.Interrupted;
            interruptions += reply.Interrupted ? 1 : 0;
            if (ending is not null && !reply.Interrupted)
            {
                // The model's stated reason may repeat the caller's words: the trace gets it only with transcripts on.
                var reason = ConversationDisclosure.Reason(ending, _services.Options.LogTranscripts);
                return ending.Kind switch
                {
                    ConversationActionKind.GotoStep => new ConverseResult(ConverseEnding.GotoStep, ending.Target, reason, turn),
                    ConversationActionKind.Transfer => new ConverseResult(ConverseEnding.Transfer, null, reason, turn),
                    _ => new ConverseResult(ConverseEnding.Hangup, null, reason, turn),
                };
            }

            if (!reply.Interrupted)
            {
                // Sounds the caller made during the reply that did not interrupt it are not a turn.
                _call.Input.Clear();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _call.Conversation.Published -= _state.Observe;

    private static ConversationActionKind? ParseAction(string name) => name switch
    {
        "goto_step" => ConversationActionKind.GotoStep,
        "transfer" => ConversationActionKind.Transfer,
        "hangup" => ConversationActionKind.Hangup,
        "set_variable" => ConversationActionKind.SetVariable,
        "send_dtmf" => ConversationActionKind.SendDtmf,
        _ => null,
    };

    private static ConversationAction? Apply(ConversationAction action, ConverseRequest request, List<string> keys)
    {
        switch (action.Kind)
        {
            case ConversationActionKind.SetVariable:
                request.SetVariable(action.Target!, action.Value ?? string.Empty);
                return null;
            case ConversationActionKind.SendDtmf:
                // Sent once the reply has played: keys and speech never share the line.
                lock (keys)
                {
                    keys.Add(action.Target!);
                }

                return null;
            default:
                return action.EndsConversation ? action : null;
        }
    }

    /// <summary>Sends the keys the model asked for in this reply, unless the caller interrupted it (the model then acted on a turn that was not over).</summary>
    private async Task SendKeysAsync(List<string> keys, bool interrupted, ConverseRequest request, CancellationToken cancellationToken)
    {
        string[] pending;
        lock (keys)
        {
            pending = [.. keys];
        }

        foreach (var digits in pending)
        {
            // Keys can be personal data (a PIN, an account number): the trace names them only with transcripts on.
            var named = _services.Options.LogTranscripts ? digits : string.Create(CultureInfo.InvariantCulture, $"{digits.Length} keys");
            if (interrupted)
            {
                request.Trace("converse", $"send_dtmf {named} dropped: the caller interrupted the reply");
                continue;
            }

            var sent = await _transport.SendDigitsAsync(digits, cancellationToken).ConfigureAwait(false);
            request.Trace("converse", sent ? $"send_dtmf {named} sent" : $"send_dtmf {named} not sent: the call has no way to send keys or the peer refused them");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} conversation turn {Turn}: caller {Caller} | heard {Heard}")]
    private static partial void LogTranscript(ILogger logger, string callId, int turn, string caller, string heard);
}
