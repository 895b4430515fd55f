using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.SipGateway.Sip.Outbound;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>The user agent's BYE, REFER and INFO, as flows use them.</summary>
internal sealed class SipFlowCallControl(SipUserAgentServer server) : IFlowCallControl
{
    public Task HangUpAsync(string dialogId, CancellationToken cancellationToken) => server.HangUpAsync(dialogId, cancellationToken);

    public Task<int> SendDtmfInfoAsync(string dialogId, string digits, CancellationToken cancellationToken) =>
        server.SendDtmfInfoAsync(dialogId, digits, cancellationToken);

    public Task<OutboundCallResult> PlaceCallAsync(OutboundCallRequest request, CancellationToken cancellationToken) =>
        server.PlaceCallAsync(request, cancellationToken);

    public async Task<TransferOutcome> ReferAsync(string dialogId, string target, TimeSpan timeout, Action succeeded, CancellationToken cancellationToken)
    {
        // The step's timeout bounds the whole transfer; the UAS also applies Sip:TransferTimeout, whichever is shorter.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var result = await server.TransferAsync(dialogId, target, deadline.Token, new FinalStatus(succeeded)).ConfigureAwait(false);
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

    /// <summary>
    /// The UAS reports each sipfrag status synchronously on the NOTIFY's receive path, before it ends our leg; a
    /// <see cref="Progress{T}"/> would post to the thread pool and could run after <c>CallEnded</c>.
    /// </summary>
    private sealed class FinalStatus(Action succeeded) : IProgress<int>
    {
        private int _reported;

        public void Report(int value)
        {
            if (value is >= 200 and < 300 && Interlocked.Exchange(ref _reported, 1) == 0)
            {
                succeeded();
            }
        }
    }
}
