using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.SipGateway.Sip.Outbound;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>What a flow needs from signalling beyond media: ending the call, handing it on by REFER, keys by INFO.</summary>
internal interface IFlowCallControl : ICallHangup
{
    /// <summary>
    /// Blind transfer (RFC 3515); on success the gateway's leg has been ended with BYE. <paramref name="succeeded"/> runs
    /// when the transferee reports the new call's 2xx, before our leg ends, so events about the transfer precede
    /// <c>CallEnded</c>.
    /// </summary>
    Task<TransferOutcome> ReferAsync(string dialogId, string target, TimeSpan timeout, Action succeeded, CancellationToken cancellationToken);

    /// <summary>Sends keys as SIP INFO in the dialog (application/dtmf-relay); the final status (200 when all were accepted).</summary>
    Task<int> SendDtmfInfoAsync(string dialogId, string digits, CancellationToken cancellationToken);

    /// <summary>Places an outbound call (the agent leg of a bridge); never throws for SIP failures.</summary>
    Task<OutboundCallResult> PlaceCallAsync(OutboundCallRequest request, CancellationToken cancellationToken);
}
