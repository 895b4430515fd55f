namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

/// <summary>One event read off a text/event-stream.</summary>
internal sealed record ServerSentEvent(string? Id, string Name, string Data);
