using System.Net;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// Plays a flow's <c>early_media</c> announcement while the INVITE rings: renders it first (so a broken prompt or a
/// failing speech engine costs nothing but the announcement), then sends the 183 with our answer and plays it on the
/// call's RTP. The call is answered afterwards by the user agent, so <c>CallStarted</c> and billing come after it.
/// </summary>
internal sealed partial class EarlyMediaAnnouncer(ISpeechSynthesizer speech, IPromptStore prompts, ILogger logger)
{
    /// <summary>
    /// Plays the announcement and returns when it ended; false when nothing was played (an offer-less INVITE from a
    /// caller without 100rel, a prompt that could not be rendered, the INVITE already ended). Throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires (CANCEL, or a reliable
    /// 183 never acknowledged).
    /// </summary>
    public async Task<bool> PlayAsync(CallSession session, FlowDefinition flow, IncomingCall call, IPEndPoint localRtp, CancellationToken cancellationToken)
    {
        if (flow.EarlyMedia is not { } announcement)
        {
            return false;
        }

        if (call.EarlyMedia is not { } early)
        {
            // An INVITE without an offer from a caller without 100rel: our offer could only go in a reliable 183, whose
            // PRACK brings the answer (RFC 3262 §5), so there is no early media and the call is simply answered.
            CallFlowMetrics.EarlyMedia.Add(1, new KeyValuePair<string, object?>("result", "skipped_no_100rel"));
            LogSkipped(logger, session.CallId, flow.Name);
            return false;
        }

        ReadOnlyMemory<short> audio;
        try
        {
            audio = announcement.File is { } file
                ? await prompts.GetAsync(file, cancellationToken).ConfigureAwait(false)
                : await speech.SynthesizeAsync(announcement.Text!, announcement.Voice ?? flow.Voice, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PromptUnavailableException or SpeechSynthesisException)
        {
            CallFlowMetrics.EarlyMedia.Add(1, new KeyValuePair<string, object?>("result", "failed"));
            LogRenderFailed(logger, session.CallId, flow.Name, ex.Message);
            return false;
        }

        if (!early.Start(localRtp) || session.Playout is not { } playout)
        {
            return false;
        }

        LogStarted(logger, session.CallId, early.IsReliable ? "reliable" : "unreliable");
        try
        {
            // For an INVITE without an offer the caller's address comes with the PRACK's answer (RFC 3262 §5): audio
            // played before it would have nowhere to go, so the announcement waits for it.
            if (!await early.WhenAnsweredAsync().WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                CallFlowMetrics.EarlyMedia.Add(1, new KeyValuePair<string, object?>("result", "cancelled"));
                return false;
            }

            await playout.PlayAsync(audio, bargeIn: false, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException)
        {
            CallFlowMetrics.EarlyMedia.Add(1, new KeyValuePair<string, object?>("result", "cancelled"));
            throw;
        }

        CallFlowMetrics.EarlyMedia.Add(1, new KeyValuePair<string, object?>("result", "played"));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: early media started (183 Session Progress, {Delivery})")]
    private static partial void LogStarted(ILogger logger, string callId, string delivery);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: the INVITE has no SDP offer and the caller does not support 100rel, so flow {Flow} answers without its early_media announcement")]
    private static partial void LogSkipped(ILogger logger, string callId, string flow);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the early_media announcement of flow {Flow} could not be rendered ({Problem}); answering without it")]
    private static partial void LogRenderFailed(ILogger logger, string callId, string flow, string problem);
}
