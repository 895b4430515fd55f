namespace StepAudio.Telephony.CallFlow.Tests.Flows.Webhooks;

/// <summary>What <see cref="LoopbackHttpServer"/> answers: status, body bytes, content type, a delay, and whether a length is sent.</summary>
internal sealed record LoopbackResponse(int Status, byte[] Body, string ContentType, TimeSpan Delay = default, bool SendLength = true);
