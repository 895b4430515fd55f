using Microsoft.Extensions.AI;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>
/// The live state of one attempt: its stream and the three ways it can be stopped (the listener's token, the stall
/// timer re-armed on every chunk, and the whole-reply bound), all on the given clock.
/// </summary>
internal sealed class StartedReply : IAsyncDisposable
{
    private readonly CancellationTokenSource _linked;
    private readonly CancellationTokenSource _cancel = new();

    public StartedReply(ConversationEndpoint endpoint, TimeProvider time, ConversationOptions options, CancellationToken listener)
    {
        Endpoint = endpoint;
        Stall = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        Total = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(listener, Stall.Token, Total.Token, _cancel.Token);
    }

    public ConversationEndpoint Endpoint { get; }

    /// <summary>Fires when no chunk came in time (first token, then between chunks).</summary>
    public CancellationTokenSource Stall { get; }

    /// <summary>Fires when the reply streamed too long after its first token.</summary>
    public CancellationTokenSource Total { get; }

    public CancellationToken Token => _linked.Token;

    public IAsyncEnumerator<ChatResponseUpdate>? Updates { get; set; }

    public void Cancel() => _cancel.Cancel();

    public async ValueTask DisposeAsync()
    {
        if (Updates is not null)
        {
            try
            {
                await Updates.DisposeAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Disposing a broken stream can throw again; the failure was already reported.
            }
        }

        _linked.Dispose();
        Stall.Dispose();
        Total.Dispose();
        _cancel.Dispose();
    }
}
