using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary><c>transfer</c>: hands the caller to an agent or another system.</summary>
public sealed record TransferStep : FlowStep
{
    /// <summary>Target SIP URI; may hold templates.</summary>
    public required FlowTemplate To { get; init; }

    /// <summary>REFER or bridge.</summary>
    public TransferMode Mode { get; init; } = TransferMode.Refer;

    /// <summary>Time allowed for the target to answer (bridge) or the transferee to report (REFER).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Step when the transfer fails; null uses <c>on_error</c>.</summary>
    public string? OnFailure { get; init; }

    /// <inheritdoc />
    public override string Verb => "transfer";
}
