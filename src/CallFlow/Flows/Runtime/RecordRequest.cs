namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>What a <c>record</c> step asks of the channel.</summary>
public sealed record RecordRequest(string StepName, TimeSpan MaxLength, char? FinishOnKey, TimeSpan SilenceTimeout, bool Beep);
