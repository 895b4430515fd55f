namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>What an endpoint is given of each caller turn.</summary>
public enum ConversationInputMode
{
    /// <summary>The turn's audio as a 16 kHz mono WAV content part (Step-Audio-R1.1, Qwen2.5-Omni and other audio-native models).</summary>
    Audio,

    /// <summary>The words the speech recogniser heard (any text model).</summary>
    Text,
}
