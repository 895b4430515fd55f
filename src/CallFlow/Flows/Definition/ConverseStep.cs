using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>
/// <c>converse</c>: hands the call to a reasoning model (Conversation:Endpoints) that listens to each caller turn and
/// answers, until it takes an action that leaves (go to a step, transfer, hang up), a limit is reached, or it fails.
/// </summary>
public sealed record ConverseStep : FlowStep
{
    /// <summary>What the model is told to be and do (its system prompt); may hold templates.</summary>
    public required FlowTemplate Instructions { get; init; }

    /// <summary>The outcome the conversation should reach, added to the instructions; null for none.</summary>
    public FlowTemplate? Goal { get; init; }

    /// <summary>Spoken first, before the caller's first turn (a template); null lets the caller begin.</summary>
    public FlowTemplate? Greeting { get; init; }

    /// <summary>The actions the model may take (tool names): <c>goto_step</c>, <c>transfer</c>, <c>hangup</c>, <c>set_variable</c>, <c>send_dtmf</c>.</summary>
    public IReadOnlyList<string> Actions { get; init; } = ["hangup"];

    /// <summary>The steps <c>goto_step</c> may name.</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];

    /// <summary>Where <c>transfer</c> sends the caller; required when <c>transfer</c> is allowed.</summary>
    public FlowTemplate? TransferTo { get; init; }

    /// <summary>How the transfer is made.</summary>
    public TransferMode TransferMode { get; init; } = TransferMode.Refer;

    /// <summary>Most model turns; then the flow continues at <see cref="FlowStep.Next"/>.</summary>
    public int MaxTurns { get; init; } = 20;

    /// <summary>Longest the conversation may last; then the flow continues at <see cref="FlowStep.Next"/>.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Step taken when no endpoint answers (or a transfer the model asked for fails); null uses <c>on_error</c>.</summary>
    public string? Fallback { get; init; }

    /// <summary>Voice of the replies when spoken by the local synthesizer; null uses the flow's.</summary>
    public string? Voice { get; init; }

    /// <inheritdoc />
    public override string Verb => "converse";
}
