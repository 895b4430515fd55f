namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>What a finished step decided: go to <see cref="Next"/> (null: the flow ends), or end with <see cref="Outcome"/>.</summary>
internal readonly record struct StepTransition(string? Next, FlowOutcome? Outcome, string Detail)
{
    public static StepTransition GoTo(string? next) => new(next, null, string.Empty);

    public static StepTransition End(FlowOutcome outcome, string detail) => new(null, outcome, detail);
}
