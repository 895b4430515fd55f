namespace StepAudio.Telephony.SipGateway.Hosting.Health;

/// <summary>One condition of readiness: its name, whether it holds, and a short explanation for operators.</summary>
public sealed record ReadinessCheck(string Name, bool Ok, string Detail);
