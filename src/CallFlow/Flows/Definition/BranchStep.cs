namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary><c>branch</c>: the first case whose condition holds decides the next step.</summary>
public sealed record BranchStep : FlowStep
{
    /// <summary>Cases in the order written.</summary>
    public required IReadOnlyList<BranchCase> Cases { get; init; }

    /// <summary>Step when no case holds; null falls back to <see cref="FlowStep.Next"/>.</summary>
    public string? Else { get; init; }

    /// <inheritdoc />
    public override string Verb => "branch";
}
