using Microsoft.Extensions.AI;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>One piece of a streamed model reply, in the order it became known.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Endpoint">The endpoint that answered (every part carries it).</param>
/// <param name="Text">The sentence of <see cref="ReplyPartKind.Sentence"/>; the reason of <see cref="ReplyPartKind.RejectedToolCall"/>.</param>
/// <param name="Audio">The model's own audio for <see cref="ReplyPartKind.Audio"/>, with its media type in <paramref name="Text"/>.</param>
/// <param name="Action">The action of <see cref="ReplyPartKind.Action"/>.</param>
/// <param name="ToolCall">The raw tool call of <see cref="ReplyPartKind.Action"/> and <see cref="ReplyPartKind.RejectedToolCall"/>, for the history.</param>
/// <param name="Words">The transcript of <see cref="ReplyPartKind.Audio"/> when the model sent one (Realtime), for what the caller heard.</param>
public sealed record ReplyPart(
    ReplyPartKind Kind,
    string Endpoint,
    string? Text = null,
    ReadOnlyMemory<byte> Audio = default,
    ConversationAction? Action = null,
    FunctionCallContent? ToolCall = null,
    string? Words = null);
