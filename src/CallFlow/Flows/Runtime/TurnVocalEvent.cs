namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>A non-verbal sound heard in a turn.</summary>
/// <param name="Kind">Snake case as flows name it: <c>sigh</c>, <c>throat_clear</c>, …</param>
/// <param name="Start">When it began, on the caller's audio clock.</param>
/// <param name="Duration">How long it lasted.</param>
/// <param name="Confidence">0–1.</param>
public sealed record TurnVocalEvent(string Kind, TimeSpan Start, TimeSpan Duration, double Confidence);
