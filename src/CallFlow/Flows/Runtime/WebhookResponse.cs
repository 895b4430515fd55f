using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>A successful webhook answer: its status and JSON body (null when the body was empty).</summary>
public sealed record WebhookResponse(int StatusCode, JsonNode? Json);
