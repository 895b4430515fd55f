namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>What the model may do besides talking; a flow's <c>converse</c> step allows a subset.</summary>
public enum ConversationActionKind
{
    /// <summary>Leave the conversation and continue the flow at a named step (tool <c>goto_step</c>).</summary>
    GotoStep,

    /// <summary>Hand the caller to a person (tool <c>transfer</c>).</summary>
    Transfer,

    /// <summary>End the call (tool <c>hangup</c>).</summary>
    Hangup,

    /// <summary>Store a value in the flow's <c>vars</c> and go on talking (tool <c>set_variable</c>).</summary>
    SetVariable,

    /// <summary>Send DTMF keys on the call, for example into an IVR behind a transfer (tool <c>send_dtmf</c>).</summary>
    SendDtmf,
}
