namespace StepAudio.Telephony.CallFlow.Tests.Flows.Webhooks;

/// <summary>A request as <see cref="LoopbackHttpServer"/> received it.</summary>
internal sealed record ReceivedRequest(string Method, IReadOnlyDictionary<string, string> Headers, string Body);
