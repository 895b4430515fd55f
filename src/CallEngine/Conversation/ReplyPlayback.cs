using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Conversation.Realtime;
using StepAudio.Telephony.Inference.Synthesis;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// Speaks one streamed reply: the model's sentences are synthesised as they arrive (a task of their own) and played
/// one after the other while the next is prepared; a filler plays when the first audio is late; the caller talking
/// over it for longer than <see cref="ConversationOptions.BargeInMinSpeech"/> cancels the model request, the synthesis
/// and the playout at once (the transport drops what it had queued), and only what was played is counted as heard.
/// </summary>
internal sealed partial class ReplyPlayback(
    EngineCall call,
    ICallTransport transport,
    ISpeechSynthesizer speech,
    ConversationModelClient client,
    ConversationOptions options,
    ILogger logger)
{
    private const int TelephoneRate = 8000;

    /// <summary>Sends the request and speaks its reply as it streams; <paramref name="onAction"/> gets the model's actions.</summary>
    public Task<ReplyOutcome> PlayAsync(ConversationRequest request, string? voice, TimeSpan decidedAt, Action<ConversationAction> onAction, CancellationToken cancellationToken)
    {
        var pending = Start(request, voice, cancellationToken);
        pending.Keep(onAction);
        return PlayAsync(pending, voice, decidedAt, cancellationToken);
    }

    /// <summary>
    /// Sends the request and lets the reply stream and be synthesised without playing it (a request sent early, at a
    /// short pause): <see cref="PlayAsync(PendingReply, string, TimeSpan, CancellationToken)"/> plays it once the turn
    /// is over, <see cref="PendingReply.DropAsync"/> drops it when the caller went on speaking.
    /// </summary>
    public PendingReply Start(ConversationRequest request, string? voice, CancellationToken cancellationToken)
    {
        var pending = new PendingReply(new ReplyOutcome { RequestSentAt = call.Signals.Now }, cancellationToken);
        var token = pending.Cancellation.Token;
        pending.Producer = Task.Run(() => ProduceAsync(request, voice, pending, token), CancellationToken.None);
        return pending;
    }

    /// <summary>Speaks a started reply: the filler when it is late, then its sentences, until done or interrupted.</summary>
    public async Task<ReplyOutcome> PlayAsync(PendingReply pending, string? voice, TimeSpan decidedAt, CancellationToken cancellationToken)
    {
        var outcome = pending.Outcome;
        var reply = pending.Cancellation;
        var chunks = pending.Chunks;
        var producer = pending.Producer;
        var bargeIn = new BargeInWatch(call, options.BargeInMinSpeech);
        try
        {
            while (true)
            {
                var next = chunks.Reader.WaitToReadAsync(reply.Token).AsTask();
                if (outcome.FirstPacketAt is null && !outcome.FillerPlayed && options.Filler.Length > 0)
                {
                    // The reply is late: say "one moment" rather than leave the caller in silence.
                    var fillerAt = decidedAt + options.FillerAfter - call.Signals.Now;
                    if (!await WhenReadyAsync(next, fillerAt, bargeIn, reply.Token).ConfigureAwait(false))
                    {
                        if (bargeIn.Decided)
                        {
                            // The caller went on talking before any reply: their turn was not over.
                            break;
                        }

                        outcome.FillerPlayed = true;
                        await SpeakFillerAsync(voice, outcome, bargeIn, reply.Token).ConfigureAwait(false);
                    }
                }

                if (bargeIn.Decided || !await WhenAnyAsync(next, bargeIn, outcome.FirstPacketAt is null).ConfigureAwait(false))
                {
                    break;
                }

                if (!chunks.Reader.TryRead(out var chunk))
                {
                    break; // The producer is done.
                }

                if (!await PlayChunkAsync(chunk, outcome, bargeIn, reply.Token).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The reply was cancelled by the barge-in; what was heard is counted.
        }
        finally
        {
            outcome.Interrupted = bargeIn.Decided;
            await reply.CancelAsync().ConfigureAwait(false);
            if (outcome.Interrupted)
            {
                LogInterrupted(logger, call.CallId, bargeIn.DecidedAtUnixMs);
            }

            bargeIn.Dispose();
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var failure = ConversationDisclosure.Failure(ex, options.LogTranscripts);
                LogProducerFailed(logger, call.CallId, failure);
            }
            finally
            {
                reply.Dispose();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return outcome;
    }

    /// <summary>Speaks fixed text (the greeting), interruptible like a reply; returns what the caller heard of it.</summary>
    public async Task<string> SpeakAsync(string text, string? voice, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<short> audio;
        try
        {
            audio = await speech.SynthesizeAsync(text, voice, cancellationToken).ConfigureAwait(false);
        }
        catch (SpeechSynthesisException ex)
        {
            throw new FlowActionException($"text to speech failed: {ex.Message}", ex);
        }

        var outcome = new ReplyOutcome();
        using var bargeIn = new BargeInWatch(call, options.BargeInMinSpeech);
        await PlayChunkAsync(new PendingReply.Chunk(text, audio), outcome, bargeIn, cancellationToken).ConfigureAwait(false);
        return outcome.Heard.ToString();
    }

    private async Task ProduceAsync(ConversationRequest request, string? voice, PendingReply pending, CancellationToken token)
    {
        var outcome = pending.Outcome;
        var writer = pending.Chunks.Writer;
        try
        {
            await foreach (var part in client.StreamAsync(request, token).ConfigureAwait(false))
            {
                switch (part.Kind)
                {
                    case ReplyPartKind.FirstToken:
                        outcome.FirstTokenAt = call.Signals.Now;
                        outcome.Endpoint = part.Endpoint;
                        break;
                    case ReplyPartKind.Sentence when part.Text is { } sentence:
                        writer.TryWrite(new PendingReply.Chunk(sentence, await SynthesizeAsync(sentence, voice, token).ConfigureAwait(false)));
                        break;
                    case ReplyPartKind.Audio:
                        // Audio the model made itself is played as it is (only brought to the telephone rate; a
                        // Realtime endpoint's µ-law is already there). Its transcript, if any, is what was heard.
                        writer.TryWrite(new PendingReply.Chunk(part.Words ?? string.Empty, part.Text == RealtimeAudio.MediaType
                            ? RealtimeAudio.ToTelephone(part.Audio.Span)
                            : OpenAiSpeechSynthesizer.ToTelephone(part.Audio.Span)));
                        break;
                    case ReplyPartKind.Action when part.Action is { } action:
                        lock (outcome.ToolCalls)
                        {
                            outcome.ToolCalls.Add(part);
                        }

                        pending.Deliver(action);
                        break;
                    case ReplyPartKind.RejectedToolCall:
                        lock (outcome.ToolCalls)
                        {
                            outcome.ToolCalls.Add(part);
                        }

                        var refusal = ConversationDisclosure.RefusedTool(part, options.LogTranscripts);
                        LogRejectedTool(logger, call.CallId, refusal);
                        break;
                }
            }
        }
        catch (ConversationUnavailableException ex)
        {
            outcome.Failure = "failed";
            outcome.FailureDetail = ex.Message;
        }
        catch (ConversationStreamBrokenException ex)
        {
            outcome.Failure = "broken";
            outcome.FailureDetail = ex.Message;
        }
        catch (Exception ex) when (ex is SpeechSynthesisException or SpeechEndpointException)
        {
            outcome.Failure = outcome.FirstPacketAt is null ? "failed" : "broken";
            outcome.FailureDetail = "speech synthesis failed: " + ConversationDisclosure.Failure(ex, options.LogTranscripts);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Interrupted or the call ended.
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task<ReadOnlyMemory<short>> SynthesizeAsync(string text, string? voice, CancellationToken token) =>
        await speech.SynthesizeAsync(text, voice, token).ConfigureAwait(false);

    /// <summary>Waits for <paramref name="next"/> at most <paramref name="wait"/> of call time (see <see cref="ICallClock.WaitForAsync"/>); false when it timed out or the caller barged in.</summary>
    private async Task<bool> WhenReadyAsync(Task<bool> next, TimeSpan wait, BargeInWatch bargeIn, CancellationToken token) =>
        next.IsCompleted || await call.Clock.WaitForAsync(next, wait, bargeIn.Interrupted, token).ConfigureAwait(false);

    /// <summary>
    /// Waits for the next sentence. Before any audio, the caller talking again means their turn was not over: the reply
    /// is dropped. Between sentences the wait is short (the next one is synthesised while the current one plays), and
    /// speech over the reply is judged while the next sentence plays.
    /// </summary>
    private static async Task<bool> WhenAnyAsync(Task<bool> next, BargeInWatch bargeIn, bool beforeFirstAudio)
    {
        if (beforeFirstAudio)
        {
            var first = await Task.WhenAny(next, bargeIn.Interrupted).ConfigureAwait(false);
            if (first != next)
            {
                return false;
            }
        }

        return await next.ConfigureAwait(false);
    }

    private async Task SpeakFillerAsync(string? voice, ReplyOutcome outcome, BargeInWatch bargeIn, CancellationToken token)
    {
        ReadOnlyMemory<short> audio;
        try
        {
            audio = await speech.SynthesizeAsync(options.Filler, voice, token).ConfigureAwait(false);
        }
        catch (SpeechSynthesisException ex)
        {
            LogFillerFailed(logger, call.CallId, ex.Message);
            return;
        }

        outcome.FirstPacketAt ??= call.Signals.Now;
        await PlayAudioAsync(audio, bargeIn, token).ConfigureAwait(false);
    }

    /// <summary>Plays one sentence; false when the caller interrupted it (the played part counts as heard).</summary>
    private async Task<bool> PlayChunkAsync(PendingReply.Chunk chunk, ReplyOutcome outcome, BargeInWatch bargeIn, CancellationToken token)
    {
        outcome.FirstPacketAt ??= call.Signals.Now;
        var started = call.Signals.Now;
        var completed = await PlayAudioAsync(chunk.Audio, bargeIn, token).ConfigureAwait(false);
        var played = completed ? chunk.Audio.Length : (int)Math.Min(chunk.Audio.Length, (call.Signals.Now - started).TotalSeconds * TelephoneRate);
        outcome.HeardDuration += TimeSpan.FromSeconds((double)played / TelephoneRate);
        var words = completed ? chunk.Text : HeardPrefix(chunk.Text, (double)played / Math.Max(1, chunk.Audio.Length));
        if (words.Length > 0)
        {
            outcome.Heard.Append(outcome.Heard.Length > 0 ? " " : string.Empty).Append(words);
        }

        return completed;
    }

    private async Task<bool> PlayAudioAsync(ReadOnlyMemory<short> audio, BargeInWatch bargeIn, CancellationToken token)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        call.OnPromptStarted("converse");
        try
        {
            var playing = transport.PlayAsync(audio, stop.Token);
            _ = playing.ContinueWith(static (_, clock) => ((ICallClock)clock!).Wake(), call.Clock, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await call.Clock.WaitAsync(() => playing.IsCompleted || bargeIn.Check(), Timeout.InfiniteTimeSpan, token).ConfigureAwait(false);
            if (!playing.IsCompleted)
            {
                // Interrupted: the transport drops every queued packet of this request at once.
                await stop.CancelAsync().ConfigureAwait(false);
            }

            return await playing.ConfigureAwait(false) && !bargeIn.Decided;
        }
        finally
        {
            call.OnPromptFinished();
        }
    }

    /// <summary>The words of <paramref name="text"/> spoken in the first <paramref name="fraction"/> of its audio.</summary>
    internal static string HeardPrefix(string text, double fraction)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var count = (int)Math.Floor(words.Length * Math.Clamp(fraction, 0, 1));
        return string.Join(' ', words.Take(count));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: the caller interrupted the reply; barge-in decided at unix ms {DecidedAtUnixMs}")]
    private static partial void LogInterrupted(ILogger logger, string callId, long decidedAtUnixMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the reply producer failed: {Reason}")]
    private static partial void LogProducerFailed(ILogger logger, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: the model's tool call was refused: {Reason}")]
    private static partial void LogRejectedTool(ILogger logger, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the filler could not be synthesised: {Reason}")]
    private static partial void LogFillerFailed(ILogger logger, string callId, string reason);
}
