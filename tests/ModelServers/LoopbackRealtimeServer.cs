using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Testing.ModelServers;

/// <summary>
/// A real WebSocket server on 127.0.0.1 (Kestrel) that speaks the OpenAI Realtime API's event protocol as its
/// reference documents it (GA interface) at <c>/v1/realtime?model=…</c>: it answers <c>session.update</c> with
/// <c>session.updated</c>, <c>conversation.item.create</c> with <c>conversation.item.added</c>,
/// <c>conversation.item.truncate</c> with <c>conversation.item.truncated</c>, runs <see cref="OnResponse"/> for each
/// <c>response.create</c> and, on <c>response.cancel</c>, stops that script and ends the response with
/// <c>response.done</c> status <c>cancelled</c> (or an <c>error</c> naming the cancel when no response is in
/// progress). Every client event and every handshake is recorded. Faults (refused upgrades, dropped sockets,
/// malformed events, responses that never end) are written by the scripts.
/// </summary>
public sealed class LoopbackRealtimeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;
    private int _responses;

    private LoopbackRealtimeServer(WebApplication app) => _app = app;

    /// <summary>The API root, <c>http://127.0.0.1:PORT/v1/</c> (what <c>Conversation:Endpoints:N:BaseUrl</c> is set to).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every client event of every connection in arrival order, each with its connection's number from 1.</summary>
    public ConcurrentQueue<(int Connection, JsonObject Event)> Received { get; } = new();

    /// <summary>Every upgrade request: its query string and Authorization header.</summary>
    public ConcurrentQueue<(string Query, string? Authorization)> Handshakes { get; } = new();

    /// <summary>
    /// Decides an upgrade request (the int is the connection's number from 1): true accepts the WebSocket; false
    /// leaves the answer the script wrote (a status code) as the reply.
    /// </summary>
    public Func<HttpContext, int, Task<bool>> OnConnect { get; set; } = (_, _) => Task.FromResult(true);

    /// <summary>Streams the response to one <c>response.create</c> (the int is the response's number from 1, over all connections).</summary>
    public Func<RealtimeServerSession, int, Task> OnResponse { get; set; } = (session, _) => session.ReplyAsync(TimeSpan.FromSeconds(1), "Hello.");

    /// <summary>Number of <c>response.create</c> events so far.</summary>
    public int Responses => Volatile.Read(ref _responses);

    /// <summary>The client events of one type, in order.</summary>
    public IReadOnlyList<JsonObject> Events(string type) =>
        [.. Received.Select(r => r.Event).Where(e => e["type"]?.GetValue<string>() == type)];

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<LoopbackRealtimeServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackRealtimeServer(app);
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/v1/");
        return server;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path != "/v1/realtime" || !context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 404;
            return;
        }

        Handshakes.Enqueue((context.Request.QueryString.Value ?? string.Empty, context.Request.Headers.Authorization.FirstOrDefault()));
        var number = Interlocked.Increment(ref _connections);
        if (!await OnConnect(context, number))
        {
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var session = new RealtimeServerSession(socket, number);
        try
        {
            await session.SendAsync(new { type = "session.created", session = new { type = "realtime", id = $"sess_{number}" } });
            await ServeAsync(session, context.RequestAborted);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the script dropped the socket.
        }
        finally
        {
            session.StopResponse();
            await session.WaitForResponseAsync();
        }
    }

    private async Task ServeAsync(RealtimeServerSession session, CancellationToken aborted)
    {
        while (await session.ReceiveAsync(aborted) is { } clientEvent)
        {
            Received.Enqueue((session.Number, clientEvent));
            var eventId = clientEvent["event_id"]?.GetValue<string>();
            switch (clientEvent["type"]?.GetValue<string>())
            {
                case "session.update":
                    await session.SendAsync(new JsonObject { ["type"] = "session.updated", ["session"] = clientEvent["session"]?.DeepClone() });
                    break;
                case "conversation.item.create":
                    var item = clientEvent["item"]?.DeepClone() as JsonObject ?? [];
                    item["id"] = $"item_c{Received.Count}";
                    await session.SendAsync(new JsonObject { ["type"] = "conversation.item.added", ["item"] = item });
                    break;
                case "conversation.item.truncate":
                    await session.SendAsync(new JsonObject
                    {
                        ["type"] = "conversation.item.truncated",
                        ["item_id"] = clientEvent["item_id"]?.DeepClone(),
                        ["content_index"] = 0,
                        ["audio_end_ms"] = clientEvent["audio_end_ms"]?.DeepClone(),
                    });
                    break;
                case "response.create":
                    var response = Interlocked.Increment(ref _responses);
                    session.StartResponse(response, OnResponse);
                    break;
                case "response.cancel":
                    if (!session.StopResponse())
                    {
                        await session.SendAsync(new
                        {
                            type = "error",
                            error = new { type = "invalid_request_error", code = "response_cancel_not_active", message = "Cancellation failed: no active response found.", event_id = eventId },
                        });
                    }

                    break;
            }
        }
    }
}
