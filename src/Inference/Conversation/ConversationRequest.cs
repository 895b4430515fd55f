using Microsoft.Extensions.AI;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>One model turn to stream.</summary>
/// <param name="Messages">The messages for an endpoint (they differ by <see cref="ConversationEndpointOptions.Input"/>); null when this turn cannot go to that endpoint (a text endpoint and no words).</param>
/// <param name="Options">Tools, output limit and the like.</param>
/// <param name="AllowedActions">The actions tool calls may map to.</param>
/// <param name="Steps">The steps <c>goto_step</c> may name.</param>
public sealed record ConversationRequest(
    Func<ConversationEndpointOptions, IList<ChatMessage>?> Messages,
    ChatOptions Options,
    IReadOnlyCollection<ConversationActionKind> AllowedActions,
    IReadOnlyCollection<string> Steps)
{
    /// <summary>The conversation's Realtime sessions; null when the conversation has none (Realtime endpoints are then skipped).</summary>
    public Realtime.RealtimeConversation? Realtime { get; init; }
}
