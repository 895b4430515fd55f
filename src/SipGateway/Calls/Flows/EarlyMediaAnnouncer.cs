using System.Net;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.SipGateway.Media.Playback;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// A flow's <c>early_media</c> on a live call: <see cref="EarlyMediaPlayer"/> (shared with <c>simulate</c>) decides
/// what plays; this channel sends the 183 with our answer (or our offer, then waits for the PRACK's answer), plays it on
/// the call's RTP, and counts and logs the result. The call is answered afterwards by the user agent, so
/// <c>CallStarted</c> and billing come after it.
/// </summary>
internal sealed partial class EarlyMediaAnnouncer(EarlyMediaPlayer player, ILogger logger)
{
    /// <summary>
    /// Plays the announcement and returns when it ended; false when nothing was played (an offer-less INVITE from a
    /// caller without 100rel, a prompt that could not be rendered, the INVITE already ended). Throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires (CANCEL, or a reliable
    /// 183 never acknowledged).
    /// </summary>
    public async Task<bool> PlayAsync(CallSession session, FlowDefinition flow, IncomingCall call, IPEndPoint localRtp, CancellationToken cancellationToken)
    {
        var channel = new SipEarlyMedia(call.EarlyMedia, session.Playout, localRtp);
        EarlyMediaResult result;
        try
        {
            result = await player.PlayAsync(flow, channel, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (channel.Opened)
        {
            Count("cancelled");
            throw;
        }

        switch (result.Status)
        {
            case EarlyMediaStatus.Unavailable:
                // An INVITE without an offer from a caller without 100rel: our offer could only go in a reliable 183,
                // whose PRACK brings the answer (RFC 3262 §5), so there is no early media and the call is simply answered.
                Count("skipped_no_100rel");
                LogSkipped(logger, session.CallId, flow.Name);
                break;
            case EarlyMediaStatus.RenderFailed:
                Count("failed");
                LogRenderFailed(logger, session.CallId, flow.Name, result.Problem ?? string.Empty);
                break;
            case EarlyMediaStatus.NotAnswered:
                // The 183 with our offer went out but the INVITE ended before a PRACK answered it.
                Count("cancelled");
                break;
            case EarlyMediaStatus.Played:
                Count("played");
                break;
        }

        if (channel.Opened)
        {
            LogStarted(logger, session.CallId, call.EarlyMedia!.IsReliable ? "reliable" : "unreliable");
        }

        return result.Status == EarlyMediaStatus.Played;
    }

    private static void Count(string result) => CallFlowMetrics.EarlyMedia.Add(1, new KeyValuePair<string, object?>("result", result));

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: early media started (183 Session Progress, {Delivery})")]
    private static partial void LogStarted(ILogger logger, string callId, string delivery);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: the INVITE has no SDP offer and the caller does not support 100rel, so flow {Flow} answers without its early_media announcement")]
    private static partial void LogSkipped(ILogger logger, string callId, string flow);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the early_media announcement of flow {Flow} could not be rendered ({Problem}); answering without it")]
    private static partial void LogRenderFailed(ILogger logger, string callId, string flow, string problem);

    /// <summary>
    /// The 183 with our answer, or our offer for an INVITE without one (reliable when the caller supports 100rel), and
    /// the call's playout, without barge-in.
    /// </summary>
    private sealed class SipEarlyMedia(IEarlyMedia? early, CallPlayout? playout, IPEndPoint localRtp) : IEarlyMediaChannel
    {
        public bool Opened { get; private set; }

        public bool IsAvailable => early is not null;

        public bool Open(TimeSpan length) => Opened = early!.Start(localRtp) && playout is not null;

        public Task<bool> WhenAnsweredAsync(CancellationToken cancellationToken) => early!.WhenAnsweredAsync().WaitAsync(cancellationToken);

        public Task PlayAsync(ReadOnlyMemory<short> pcm8k, CancellationToken cancellationToken) =>
            playout!.PlayAsync(pcm8k, bargeIn: false, cancellationToken);
    }
}
