namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>A short pause inside the caller's open speech, on the caller's audio clock.</summary>
/// <param name="SpeechStart">Where the open speech began.</param>
/// <param name="VoicedEnd">End of the last stretch scored as speech: the pause began here.</param>
public readonly record struct SpeechPause(TimeSpan SpeechStart, TimeSpan VoicedEnd);
