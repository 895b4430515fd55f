namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>The end of one call's flow.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="LastStep">The step that ran last (null if none ran).</param>
/// <param name="Detail">Why, for people: the hangup reason, the error, the transfer target.</param>
/// <param name="FlowName">The flow's name.</param>
/// <param name="FlowVersion">The flow revision the call used.</param>
public sealed record FlowResult(FlowOutcome Outcome, string? LastStep, string Detail, string FlowName, string FlowVersion);
