namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>Who called whom, as flows see it (no SIP types).</summary>
/// <param name="CallId">The gateway's id for the call (the one in events).</param>
/// <param name="Caller">The caller's number or user (From URI user part, else the URI).</param>
/// <param name="Called">The number called (DID: Request-URI/To user part).</param>
/// <param name="Trunk">Name of the trunk the call came from, or null when none matched.</param>
public sealed record CallInfo(string CallId, string Caller, string Called, string? Trunk);
