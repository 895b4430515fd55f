using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>One rendered webhook call.</summary>
public sealed record WebhookRequest(Uri Url, string Method, IReadOnlyDictionary<string, string> Headers, JsonObject? Body, TimeSpan Timeout, int Retries);
