using System.Globalization;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.Inference.Conversation;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// Waits for the caller's next turn and, when <see cref="ConversationOptions.EarlyRequestPause"/> is on, sends the
/// model request at a short pause inside their speech. If the caller speaks again the request is dropped (nothing of it
/// was played, the history is untouched) and the wait goes on; if the turn ends with no more speech, the reply that is
/// already streaming is handed back to be played, so the turn never has two replies.
/// </summary>
internal sealed class EarlyRequestWait(EngineCall call, CallerTurnWait turns, ReplyPlayback playback, ModelTurnBuilder builder, bool enabled)
{
    /// <summary>The turn's deciding input (null when time ran out or the caller left) and the early reply to play, if one is kept.</summary>
    public async Task<(CallerInput? Decided, PendingReply? Early)> NextAsync(
        TimeSpan remaining, Func<ModelTurnInput, ConversationRequest> request, string? voice, int turn, bool interruptedLast, int interruptions, Action<string> trace, CancellationToken cancellationToken)
    {
        var deadline = call.Signals.Now + remaining;
        PendingReply? early = null;
        var pause = default(SpeechPause);
        var dropReason = EarlyRequestMetrics.Other;
        try
        {
            while (true)
            {
                Func<bool>? wake = !enabled ? null : early is null ? () => call.Conversation.CurrentPause() is not null : () => call.Conversation.SpokeAfter(pause);
                var (decided, woken) = await turns.NextAsync(deadline, wake, cancellationToken).ConfigureAwait(false);
                if (!woken)
                {
                    if (early is not null && decided is { Kind: CallerInputKind.SpeechEnded } && !call.Conversation.SpokeAfter(pause) && !early.Failed)
                    {
                        var kept = early;
                        early = null;
                        kept.Outcome.EarlyRequest = true;
                        EarlyRequestMetrics.Used.Add(1);
                        return (decided, kept);
                    }

                    // Keys, time out, or the early request already failed: the turn is asked afresh.
                    dropReason = early is null ? dropReason
                        : early.Failed ? EarlyRequestMetrics.Failed
                        : decided is { Kind: CallerInputKind.SpeechEnded } ? EarlyRequestMetrics.SpeechResumed
                        : EarlyRequestMetrics.Other;
                    return (decided, null);
                }

                if (early is not null)
                {
                    // The caller went on speaking: the pause was not the end of their turn.
                    await early.DropAsync().ConfigureAwait(false);
                    early = null;
                    EarlyRequestMetrics.Cancel(EarlyRequestMetrics.SpeechResumed);
                    trace(string.Create(CultureInfo.InvariantCulture, $"turn {turn}: the request sent at a pause ({pause.VoicedEnd.TotalSeconds:0.00}s) was dropped: the caller went on speaking"));
                }
                else if (call.Conversation.CurrentPause() is { } paused)
                {
                    pause = paused;
                    // Never to a Realtime endpoint (after a failover): its session would keep the partial turn.
                    early = playback.Start(request(builder.BuildEarly(turn, paused, interruptedLast, interruptions)) with { Realtime = null }, voice, cancellationToken);
                    EarlyRequestMetrics.Started.Add(1);
                }
            }
        }
        finally
        {
            if (early is not null)
            {
                await early.DropAsync().ConfigureAwait(false);
                EarlyRequestMetrics.Cancel(dropReason);
            }
        }
    }
}
