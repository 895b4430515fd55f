namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>Goes to <paramref name="Goto"/> when a step fails and has no <c>on_failure</c> of its own.</summary>
public sealed record ErrorHandler(string Goto, SourceLocation Location);
