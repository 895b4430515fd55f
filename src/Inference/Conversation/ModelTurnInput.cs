using StepAudio.Telephony.Inference.Conversation.CallerState;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>One caller turn as the model receives it.</summary>
/// <param name="Audio">The turn's audio, 16 kHz mono float (empty for a turn of keys only).</param>
/// <param name="Words">The recognised words, or null when no recogniser ran or it failed.</param>
/// <param name="Context">How the caller sounded.</param>
public sealed record ModelTurnInput(ReadOnlyMemory<float> Audio, string? Words, CallerTurnContext Context);
