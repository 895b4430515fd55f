namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>Goes to <paramref name="Goto"/> after <paramref name="After"/> without speech or keys while the flow waits for input.</summary>
public sealed record SilenceHandler(TimeSpan After, string Goto, SourceLocation Location);
