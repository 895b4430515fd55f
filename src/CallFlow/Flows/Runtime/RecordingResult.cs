namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>A finished recording: where it is and how long it is.</summary>
public sealed record RecordingResult(string Path, TimeSpan Length, string EndedBy);
