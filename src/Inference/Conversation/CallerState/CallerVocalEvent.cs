namespace StepAudio.Telephony.Inference.Conversation.CallerState;

/// <summary>A vocal sound in the turn: its kind in snake case (<c>sigh</c>, <c>laugh</c>, …), where in the turn, how sure.</summary>
public sealed record CallerVocalEvent(string Kind, TimeSpan OffsetInTurn, double Confidence);
