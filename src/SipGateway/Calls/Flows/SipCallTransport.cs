using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.SipGateway.Dtmf;
using StepAudio.Telephony.SipGateway.Media.Playback;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// A live call's transport for its flow: prompts go out through the call's <see cref="CallPlayout"/> on the RTP
/// schedule, transfers become REFER (RFC 3515) or a bridged agent leg, recordings tap the decoded caller audio, and a
/// hang-up is a BYE. What to play and when to stop it is the engine's decision (<see cref="FlowCallChannel"/>).
/// </summary>
internal sealed class SipCallTransport(CallSession session, CallFlowServices services) : ICallTransport
{
    private int _recordings;

    /// <inheritdoc />
    public async Task<bool> PlayAsync(ReadOnlyMemory<short> pcm8k, CancellationToken cancellationToken)
    {
        var playout = session.Playout ?? throw new FlowActionException("the call has no media to play to");

        // Never stopped by the playout's own barge-in: the engine cancels the token when the step allows it.
        return await playout.PlayAsync(pcm8k, bargeIn: false, cancellationToken).ConfigureAwait(false) == PlayoutResult.Completed;
    }

    /// <inheritdoc />
    public void StopPlayout() => session.Playout?.StopAll();

    /// <inheritdoc />
    public async ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, Action succeeded, CancellationToken cancellationToken)
    {
        // The caller hears nothing more from the flow: the transferee or the agent speaks next.
        StopPlayout();
        if (mode == TransferMode.Bridge)
        {
            // Analysis keeps listening to the caller while the agent talks.
            var (outcome, bridge) = await services.Dialer.DialAsync(session, services.Control, target, timeout, cancellationToken).ConfigureAwait(false);
            CallFlowMetrics.Bridges.Add(1, new KeyValuePair<string, object?>("status", outcome.StatusCode));
            if (bridge is not null)
            {
                services.Bridged(bridge, session);
                succeeded();
            }

            return outcome;
        }

        // On success the UAS ends our leg itself (BYE, reason "transferred").
        session.TrySetHangupReason("transferred");
        return await services.Control.ReferAsync(session.Description.DialogId, target, timeout, succeeded, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ICallRecording StartRecording(string stepName)
    {
        if (!services.Recording.MessagesAllowed)
        {
            throw new FlowActionException("message recording is disabled in the gateway configuration (Recording:Messages)");
        }

        var directory = Path.GetFullPath(services.Recording.Directory);
        var path = Path.Combine(directory, $"{session.CallId}-{Interlocked.Increment(ref _recordings)}.wav");
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FlowActionException($"recording directory '{directory}' is not writable: {ex.Message}", ex);
        }

        var recording = new StepRecording(path, () => session.CallerAudioTap = null);
        session.CallerAudioTap = recording;
        return recording;
    }

    /// <inheritdoc />
    /// <remarks>
    /// RFC 4733 telephone-events on the call's RTP stream; a peer that negotiated no telephone-event gets SIP INFO with
    /// application/dtmf-relay bodies instead, one key per request. False when the peer refused the INFO.
    /// </remarks>
    public async ValueTask<bool> SendDigitsAsync(string digits, CancellationToken cancellationToken)
    {
        if (session.Rtp.TelephoneEventPayloadType is null)
        {
            var status = await services.Control.SendDtmfInfoAsync(session.Description.DialogId, digits, cancellationToken).ConfigureAwait(false);
            return status is >= 200 and < 300;
        }

        await new TelephoneEventSender(session.Rtp).SendDigitsAsync(digits, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask HangupAsync(string reason)
    {
        session.TrySetHangupReason(reason);
        await services.Control.HangUpAsync(session.Description.DialogId, CancellationToken.None).ConfigureAwait(false);
    }
}
