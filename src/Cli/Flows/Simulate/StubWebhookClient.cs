using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// Answers webhook steps (and the webhooks of record steps) named with <c>--webhook NAME=FILE.json</c> from that file
/// (NAME is the step's <c>as</c> or its name); every other webhook goes to the real client, or fails when there is
/// none (<c>--no-network</c>).
/// </summary>
internal sealed class StubWebhookClient(
    IReadOnlyDictionary<string, JsonNode?> stubs, Func<FlowStep?> currentStep, IWebhookClient? network) : IWebhookClient
{
    public ValueTask<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var step = currentStep();
        var alias = step switch { WebhookStep webhook => webhook.As, RecordStep record => record.As, _ => null };
        if (step is not null &&
            (stubs.TryGetValue(step.Name, out var json) || (alias is { } name && stubs.TryGetValue(name, out json))))
        {
            return ValueTask.FromResult(new WebhookResponse(200, json?.DeepClone()));
        }

        if (network is null)
        {
            throw new FlowActionException($"{request.Method} {request.Url}: no --webhook stub for step '{step?.Name}' and --no-network is set");
        }

        return network.SendAsync(request, cancellationToken);
    }
}
