using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.SipGateway.Sip.Outbound;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>The user agent's BYE and REFER, as flows use them.</summary>
internal sealed class SipFlowCallControl(SipUserAgentServer server) : IFlowCallControl
{
    public Task HangUpAsync(string dialogId, CancellationToken cancellationToken) => server.HangUpAsync(dialogId, cancellationToken);

    public Task<OutboundCallResult> PlaceCallAsync(OutboundCallRequest request, CancellationToken cancellationToken) =>
        server.PlaceCallAsync(request, cancellationToken);

    public async Task<TransferOutcome> ReferAsync(string dialogId, string target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The step's timeout bounds the whole transfer; the UAS also applies Sip:TransferTimeout, whichever is shorter.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var result = await server.TransferAsync(dialogId, target, deadline.Token).ConfigureAwait(false);
            return new TransferOutcome(result.Succeeded, result.StatusCode, result.Reason);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TransferOutcome(false, 408, "Transfer timed out");
        }
        catch (ArgumentException ex)
        {
            return new TransferOutcome(false, 400, ex.Message);
        }
    }
}
