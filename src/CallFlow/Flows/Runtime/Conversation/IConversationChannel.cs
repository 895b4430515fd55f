namespace StepAudio.Telephony.CallFlow.Flows.Runtime.Conversation;

/// <summary>
/// A call that can hold a conversation with a model. Implemented beside <see cref="ICallChannel"/> by channels whose
/// gateway has a conversation endpoint configured; a channel without it makes <c>converse</c> fail with a clear error.
/// The channel owns the audio, the turns, the interruptions and the model client; the flow only says what the
/// conversation is for and continues from how it ended.
/// </summary>
public interface IConversationChannel
{
    /// <summary>
    /// Runs the conversation until it ends. Throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires (caller hung up, a handler such as <c>on_frustration</c> took over):
    /// the model request and any speech in progress are cancelled with it.
    /// </summary>
    ValueTask<ConverseResult> ConverseAsync(ConverseRequest request, CancellationToken cancellationToken);
}
