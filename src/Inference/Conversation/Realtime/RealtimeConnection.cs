using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace StepAudio.Telephony.Inference.Conversation.Realtime;

/// <summary>
/// One WebSocket to a Realtime endpoint: a task of its own reads every server event into a queue (so a cancelled turn
/// never cancels a receive, which would abort the socket), sends are one at a time, and every client event carries an
/// id so that an <c>error</c> about a best-effort event (a cancel or truncation the server no longer needed) can be
/// told from an error about the turn.
/// </summary>
internal sealed class RealtimeConnection : IAsyncDisposable
{
    /// <summary>The longest server event accepted; a larger one is treated as malformed.</summary>
    private const int MaxEventBytes = 16 * 1024 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _bestEffort = [];
    private readonly List<JsonObject> _pending = [];
    private readonly Task _receiver;
    private int _nextEventId;

    private RealtimeConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiver = Task.Run(ReceiveAsync, CancellationToken.None);
    }

    /// <summary>Server events in arrival order; a null entry is an event that was not a JSON object. Completes when the socket closes.</summary>
    public Channel<JsonObject?> Events { get; } = Channel.CreateUnbounded<JsonObject?>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>How many <c>response.created</c> events readers have taken so far (responses are answered in order).</summary>
    public int ResponsesSeen { get; set; }

    /// <summary>How many <c>response.create</c> events were sent.</summary>
    public int ResponsesAsked { get; private set; }

    /// <summary>Set when the state of the session is no longer known (a malformed event, a reply broken off): the next turn opens a new one.</summary>
    public bool Broken { get; set; }

    /// <summary>Whether the session can take another turn.</summary>
    public bool Usable => !Broken && _socket.State == WebSocketState.Open && !_receiver.IsCompleted;

    /// <summary>
    /// Opens the WebSocket at <c>BaseUrl/realtime?model=…</c> with the key as a bearer token. A server that refuses
    /// the upgrade with a status (429, 503…) is reported as an <see cref="HttpRequestException"/> with that status.
    /// </summary>
    public static async Task<RealtimeConnection> ConnectAsync(ConversationEndpointOptions endpoint, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (!string.IsNullOrEmpty(endpoint.ApiKey))
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + endpoint.ApiKey);
        }

        try
        {
            await socket.ConnectAsync(Address(endpoint), cancellationToken).ConfigureAwait(false);
            return new RealtimeConnection(socket);
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode is not 0 and not HttpStatusCode.SwitchingProtocols)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"the realtime endpoint refused the WebSocket: HTTP {(int)status}"), ex, status);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The WebSocket address of an endpoint: <c>http</c>/<c>https</c> become <c>ws</c>/<c>wss</c>.</summary>
    public static Uri Address(ConversationEndpointOptions endpoint)
    {
        var root = endpoint.BaseUrl ?? throw new ArgumentException("a realtime endpoint needs BaseUrl", nameof(endpoint));
        var builder = new UriBuilder(new Uri(root.ToString().TrimEnd('/') + "/realtime"))
        {
            Scheme = root.Scheme switch { "https" or "wss" => "wss", _ => "ws" },
            Query = "model=" + Uri.EscapeDataString(endpoint.Model),
        };
        return builder.Uri;
    }

    /// <summary>Sends one event of the turn; a failure here fails the turn.</summary>
    public async Task SendAsync(JsonObject clientEvent, CancellationToken cancellationToken) =>
        await SendCoreAsync(clientEvent, bestEffort: false, cancellationToken).ConfigureAwait(false);

    /// <summary>Queues an event to send before the next turn (function results, a truncation).</summary>
    public void Queue(JsonObject clientEvent)
    {
        lock (_pending)
        {
            _pending.Add(clientEvent);
        }
    }

    /// <summary>Sends the queued events; the server's errors about them are not the next turn's.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        JsonObject[] pending;
        lock (_pending)
        {
            pending = [.. _pending];
            _pending.Clear();
        }

        foreach (var clientEvent in pending)
        {
            await SendCoreAsync(clientEvent, bestEffort: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends <c>response.cancel</c> without the turn's (already cancelled) token, bounded by its own time-out.</summary>
    public async Task CancelResponseAsync()
    {
        if (!Usable)
        {
            return;
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await SendCoreAsync(RealtimeClientEvents.CancelResponse(), bestEffort: true, bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Broken = true;
        }
    }

    /// <summary>Whether an <c>error</c> event is about a best-effort event (it then does not fail the turn).</summary>
    public bool IsAboutBestEffort(JsonObject error)
    {
        var id = (error["error"] as JsonObject)?["event_id"] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
        lock (_bestEffort)
        {
            return id is not null && _bestEffort.Contains(id);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "conversation ended", bound.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The peer is gone already; aborting below is enough.
            }
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        try
        {
            await _receiver.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The receive loop reports through the queue; nothing is left to tell.
        }

        _socket.Dispose();
        _stop.Dispose();
        _send.Dispose();
    }

    private async Task SendCoreAsync(JsonObject clientEvent, bool bestEffort, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = "gw_" + (++_nextEventId).ToString(CultureInfo.InvariantCulture);
            if (bestEffort)
            {
                lock (_bestEffort)
                {
                    _bestEffort.Add(id);
                }
            }

            if (clientEvent["type"]?.GetValue<string>() == "response.create")
            {
                ResponsesAsked++;
            }

            var bytes = RealtimeClientEvents.Serialize(clientEvent, id);
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), _stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxEventBytes)
                {
                    Events.Writer.TryWrite(null);
                    break;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                Events.Writer.TryWrite(Parse(buffer.WrittenSpan));
                buffer.Clear();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection dropped or is being closed: the queue completes, and a turn still reading sees it.
        }
        finally
        {
            Events.Writer.TryComplete();
        }
    }

    private static JsonObject? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonNode.Parse(utf8) is JsonObject { } json && json["type"] is JsonValue type && type.TryGetValue(out string? _) ? json : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
