namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>What a <see cref="ReplyPart"/> carries.</summary>
public enum ReplyPartKind
{
    /// <summary>The endpoint's first streamed token arrived (thinking included): the reply has started and will not fail over any more.</summary>
    FirstToken,

    /// <summary>A complete sentence to speak, thinking removed.</summary>
    Sentence,

    /// <summary>Audio the model produced itself, played as it is.</summary>
    Audio,

    /// <summary>A tool call that maps to an allowed action.</summary>
    Action,

    /// <summary>A tool call that was refused (unknown tool, arguments not JSON or not fitting).</summary>
    RejectedToolCall,
}
