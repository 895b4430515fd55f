namespace StepAudio.Telephony.SipGateway.Hosting.Health;

/// <summary>The conditions checked for <c>/readyz</c> and for the answer to OPTIONS; ready when all hold.</summary>
public sealed record ReadinessReport(IReadOnlyList<ReadinessCheck> Checks)
{
    public bool Ready => Checks.All(c => c.Ok);
}
