using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Sip.Outbound;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// Places the agent leg of a bridge transfer: an outbound call (UDP) with its own RTP port from the allocator, whose
/// audio is relayed to and from the caller by a <see cref="CallBridge"/>.
/// </summary>
internal sealed class CallBridgeDialer(RtpPortAllocator ports, RtpOptions? rtpOptions, TimeProvider time, ILoggerFactory loggerFactory)
{
    /// <summary>Calls <paramref name="target"/>; on success the bridge is connected and the caller's audio flows to it.</summary>
    public async Task<(TransferOutcome Outcome, CallBridge? Bridge)> DialAsync(
        CallSession caller, IFlowCallControl control, string target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!ports.TryAllocate(out var lease))
        {
            return (new TransferOutcome(false, 503, "No media port available for the agent leg"), null);
        }

        OutboundCallResult result;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // Cancelling a pending INVITE sends CANCEL; the result then carries the callee's final answer (487).
            deadline.CancelAfter(timeout);
            try
            {
                result = await control.PlaceCallAsync(
                    new OutboundCallRequest { Target = target, LocalRtp = lease.LocalEndPoint, FromUser = CallInfoFactory.UserOf(caller.Description.From) },
                    deadline.Token).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                lease.Dispose();
                return (new TransferOutcome(false, 400, ex.Message), null);
            }
        }

        if (!result.Succeeded || result.DialogId is null)
        {
            lease.Dispose();
            return (new TransferOutcome(false, result.StatusCode, result.Reason), null);
        }

        if (result.RemoteRtp is null || result.Codec is null
            || !AudioCodecRegistry.TryGetByEncodingName(result.Codec.EncodingName, out var codec, result.Codec.ClockRate))
        {
            lease.Dispose();
            await control.HangUpAsync(result.DialogId, CancellationToken.None).ConfigureAwait(false);
            return (new TransferOutcome(false, 488, "The agent answered without usable audio"), null);
        }

        var bridge = new CallBridge(caller.Rtp, caller.Description.DialogId);
        var rtp = new RtpSession(
            lease, codec, result.RemoteRtp, bridge, loggerFactory.CreateLogger<RtpSession>(), result.TelephoneEventPayloadType, time, rtpOptions?.JitterBuffer,
            srtp: result.Srtp);
        bridge.Connect(result.DialogId, rtp);
        rtp.Start();
        caller.CallerAudioTap = bridge;
        return (new TransferOutcome(true, result.StatusCode, result.Reason), bridge);
    }
}
