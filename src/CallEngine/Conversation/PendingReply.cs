using System.Threading.Channels;
using StepAudio.Telephony.Inference.Conversation;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// A model request that streams, and has its sentences synthesised, before anything of it is played. Actions the
/// model takes are held until the reply is kept (<see cref="Keep"/>): a request sent early at a short pause and then
/// dropped because the caller went on speaking must leave no trace (no variable set, no keys queued).
/// </summary>
internal sealed class PendingReply
{
    private readonly object _gate = new();
    private readonly List<ConversationAction> _held = [];
    private Action<ConversationAction>? _sink;

    public PendingReply(ReplyOutcome outcome, CancellationToken cancellationToken)
    {
        Outcome = outcome;
        Cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>How the reply goes; its request time is when it was started.</summary>
    public ReplyOutcome Outcome { get; }

    /// <summary>Cancels the request, the synthesis and the playout.</summary>
    public CancellationTokenSource Cancellation { get; }

    /// <summary>Synthesised sentences in the order the model streamed them.</summary>
    public Channel<Chunk> Chunks { get; } = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Streams the request into <see cref="Chunks"/>; set once when it starts.</summary>
    public Task Producer { get; set; } = Task.CompletedTask;

    /// <summary>Whether the request already ended without a reply (no endpoint answered): not worth keeping.</summary>
    public bool Failed => Producer.IsCompleted && Outcome.Failure is not null;

    /// <summary>An action the model took: carried out now when the reply is kept, else held.</summary>
    public void Deliver(ConversationAction action)
    {
        lock (_gate)
        {
            if (_sink is null)
            {
                _held.Add(action);
                return;
            }

            _sink(action);
        }
    }

    /// <summary>The reply is the turn's answer: carries out the actions held so far and those still to come.</summary>
    public void Keep(Action<ConversationAction> sink)
    {
        lock (_gate)
        {
            _sink = sink;
            foreach (var action in _held)
            {
                sink(action);
            }

            _held.Clear();
        }
    }

    /// <summary>Drops the reply before anything of it was played: the request is cancelled and its actions forgotten.</summary>
    public async Task DropAsync()
    {
        await Cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await Producer.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nothing of a dropped reply matters, its failure included.
        }
        finally
        {
            Cancellation.Dispose();
        }
    }

    /// <summary>One synthesised sentence (or the model's own audio, with no text).</summary>
    public sealed record Chunk(string Text, ReadOnlyMemory<short> Audio);
}
