namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary><c>hangup</c>: ends the call (outcome <c>completed</c>).</summary>
public sealed record HangupStep : FlowStep
{
    /// <summary>Reason carried to logs and <c>CallEnded</c>.</summary>
    public string Reason { get; init; } = "flow-hangup";

    /// <inheritdoc />
    public override string Verb => "hangup";
}
