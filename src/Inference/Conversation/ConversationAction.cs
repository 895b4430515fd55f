namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>
/// An action the model took through a tool call, already checked against the tool's schema and the step's limits.
/// </summary>
/// <param name="Kind">Which action.</param>
/// <param name="Target">The step for <see cref="ConversationActionKind.GotoStep"/>, the transfer target (null: the step's default) for <see cref="ConversationActionKind.Transfer"/>, the variable name for <see cref="ConversationActionKind.SetVariable"/>, the keys for <see cref="ConversationActionKind.SendDtmf"/>.</param>
/// <param name="Value">The value of <see cref="ConversationActionKind.SetVariable"/>; the reason given for hangup or transfer.</param>
/// <param name="CallId">The tool call's id, so its result can be answered in the history.</param>
public sealed record ConversationAction(ConversationActionKind Kind, string? Target, string? Value, string CallId)
{
    /// <summary>Whether this action ends the conversation (the flow continues from it).</summary>
    public bool EndsConversation => Kind is ConversationActionKind.GotoStep or ConversationActionKind.Transfer or ConversationActionKind.Hangup;

    /// <summary>The tool name as the model sees it.</summary>
    public string ToolName => ConversationTools.NameOf(Kind);
}
