namespace StepAudio.Telephony.CallFlow.Flows.Runtime.Conversation;

/// <summary>How a conversation ended.</summary>
/// <param name="Ending">The kind of ending.</param>
/// <param name="Target">The step of <see cref="ConverseEnding.GotoStep"/>; otherwise null.</param>
/// <param name="Detail">Why, for the trace (the model's stated reason, the limit, the failure); never the caller's words.</param>
/// <param name="Turns">Model turns taken.</param>
public sealed record ConverseResult(ConverseEnding Ending, string? Target, string Detail, int Turns);
