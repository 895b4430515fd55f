namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>Calls businesses' backends for <c>webhook</c> steps, with timeouts, retries and a circuit breaker.</summary>
public interface IWebhookClient
{
    /// <summary>Sends the request; throws <see cref="FlowActionException"/> when it failed after its retries or the circuit is open.</summary>
    ValueTask<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken);
}
