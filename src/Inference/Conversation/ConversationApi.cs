namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>Which protocol an endpoint speaks.</summary>
public enum ConversationApi
{
    /// <summary>OpenAI-compatible <c>/v1/chat/completions</c>, streamed (vLLM, Step-Audio-R1.1, any text LLM); replies are spoken by our synthesiser or played as the model's own audio.</summary>
    Chat,

    /// <summary>
    /// The OpenAI Realtime API: speech to speech over a WebSocket (<c>/v1/realtime?model=…</c>), G.711 µ-law both ways,
    /// one session per conversation, our own turn detection (the server's is switched off).
    /// </summary>
    Realtime,
}
