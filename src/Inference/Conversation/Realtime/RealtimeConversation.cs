using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace StepAudio.Telephony.Inference.Conversation.Realtime;

/// <summary>
/// One conversation's Realtime sessions, one WebSocket per Realtime endpoint, opened on its first turn and kept for the
/// next ones (the server keeps the history and the caller's audio). A session that broke is replaced on the next turn
/// by a new one that is given the conversation so far as text. Each turn sends the caller's state block and audio as
/// one user item and asks for a response; a response the listener stops reading (the caller interrupted, a time-out)
/// is cancelled at once with <c>response.cancel</c>; after the turn the assistant's audio item is truncated to what
/// the caller heard and the function calls get their results, as the chat history records them.
/// </summary>
public sealed class RealtimeConversation : IAsyncDisposable
{
    private readonly Dictionary<string, RealtimeConnection> _connections = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (RealtimeConnection Connection, RealtimeResponseReader Reader)? _answered;

    /// <summary>
    /// Streams the response of <paramref name="endpoint"/> to the last message of <paramref name="messages"/> (the
    /// system message gives the instructions when a session opens, the messages between are the history replayed then).
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        ConversationEndpointOptions endpoint, IList<ChatMessage> messages, ChatOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(options);
        if (RealtimeClientEvents.Message(messages[^1], withAudio: endpoint.Input == ConversationInputMode.Audio) is not { } turn)
        {
            throw new ModelStreamException("the turn has nothing a realtime item can carry");
        }

        var connection = await OpenAsync(endpoint, messages, options, cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            await connection.SendAsync(turn, cancellationToken).ConfigureAwait(false);
            await connection.SendAsync(RealtimeClientEvents.CreateResponse(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Part of the turn may have reached the server: the next turn starts on a new session.
            connection.Broken = true;
            throw;
        }

        var reader = new RealtimeResponseReader(connection, connection.ResponsesAsked);
        var first = true;
        try
        {
            await foreach (var update in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (first && update.Contents.Count > 0)
                {
                    // This response is the turn's reply (no failover after its first content): the turn's end applies to it.
                    first = false;
                    _answered = (connection, reader);
                }

                yield return update;
            }
        }
        finally
        {
            if (reader.Created && !reader.Done)
            {
                // Stopped early (interrupted, timed out, broken): stop the server generating more.
                await connection.CancelResponseAsync().ConfigureAwait(false);
            }
            else if (!reader.Created)
            {
                // Given up before the server created the response: whether and when it will is unknown, so the
                // responses on this socket can no longer be matched to turns. The next turn opens a new session.
                connection.Broken = true;
            }
        }
    }

    /// <summary>
    /// The turn is over (<see cref="ConversationSession.Commit"/>): when the caller interrupted, the reply's audio item
    /// is cut to <paramref name="heardAudio"/> (<c>conversation.item.truncate</c>); each function call of the reply
    /// gets its result. Both are sent before the next turn's item. Nothing happens when a chat endpoint answered.
    /// </summary>
    public void AfterTurn(bool interrupted, TimeSpan heardAudio, IReadOnlyList<ReplyPart> toolCalls)
    {
        ArgumentNullException.ThrowIfNull(toolCalls);
        if (_answered is not { } answered)
        {
            return;
        }

        _answered = null;
        if (interrupted && answered.Reader.AudioItemId is { } item)
        {
            answered.Connection.Queue(RealtimeClientEvents.Truncate(item, (int)Math.Round(Math.Max(0, heardAudio.TotalMilliseconds))));
        }

        foreach (var part in toolCalls)
        {
            if (part.ToolCall is { } call && answered.Reader.CallIds.Contains(call.CallId))
            {
                answered.Connection.Queue(RealtimeClientEvents.FunctionOutput(call.CallId, part.Kind == ReplyPartKind.Action ? "done" : "error: " + part.Text));
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var connection in _connections.Values)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            _connections.Clear();
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    private async Task<RealtimeConnection> OpenAsync(ConversationEndpointOptions endpoint, IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var key = endpoint.DisplayName;
            if (_connections.TryGetValue(key, out var open))
            {
                if (open.Usable)
                {
                    return open;
                }

                _connections.Remove(key);
                await open.DisposeAsync().ConfigureAwait(false);
            }

            var connection = await RealtimeConnection.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            try
            {
                var instructions = messages.Count > 0 && messages[0].Role == ChatRole.System ? messages[0].Text : string.Empty;
                await connection.SendAsync(RealtimeClientEvents.SessionUpdate(endpoint.Model, instructions, options, endpoint.Voice), cancellationToken).ConfigureAwait(false);

                // A new session knows nothing of the conversation so far (the greeting, turns another endpoint or a
                // broken session answered): it gets it as text.
                foreach (var earlier in messages.Skip(1).Take(messages.Count - 2))
                {
                    if (RealtimeClientEvents.Message(earlier, withAudio: false) is { } item)
                    {
                        await connection.SendAsync(item, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _connections[key] = connection;
            return connection;
        }
        finally
        {
            _gate.Release();
        }
    }
}
