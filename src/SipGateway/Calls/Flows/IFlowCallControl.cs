using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>What a flow needs from signalling beyond media: ending the call and handing it on by REFER.</summary>
internal interface IFlowCallControl : ICallHangup
{
    /// <summary>Blind transfer (RFC 3515); on success the gateway's leg has been ended with BYE.</summary>
    Task<TransferOutcome> ReferAsync(string dialogId, string target, TimeSpan timeout, CancellationToken cancellationToken);
}
