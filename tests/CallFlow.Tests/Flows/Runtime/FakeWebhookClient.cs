using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

/// <summary>Answers webhook steps from a function and keeps the requests.</summary>
internal sealed class FakeWebhookClient(Func<WebhookRequest, WebhookResponse>? answer = null) : IWebhookClient
{
    public List<WebhookRequest> Requests { get; } = [];

    public ValueTask<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return ValueTask.FromResult((answer ?? (_ => new WebhookResponse(204, null)))(request));
    }
}
