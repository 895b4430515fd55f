namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>How a transfer ended: <paramref name="StatusCode"/> is the SIP status that decided it (200 on success).</summary>
public sealed record TransferOutcome(bool Succeeded, int StatusCode, string Reason);
