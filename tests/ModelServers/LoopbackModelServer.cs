using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Testing.ModelServers;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel) that answers the OpenAI-compatible endpoints the gateway uses, as their
/// public documentation describes them: <c>/v1/chat/completions</c> with server-sent events, <c>/v1/audio/transcriptions</c>
/// (multipart), <c>/v1/audio/speech</c>. What it answers is scripted per request by <see cref="Handler"/>; every
/// request is recorded. Faults (status codes, stalls, dropped connections, malformed JSON) are written by the script.
/// </summary>
public sealed class LoopbackModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private LoopbackModelServer(WebApplication app) => _app = app;

    /// <summary>Every request in arrival order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Number of requests so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The API root, <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Answers one request; the int is the request's number from 1.</summary>
    public Func<HttpContext, RecordedRequest, int, Task> Handler { get; set; } = (context, _, _) =>
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    };

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<LoopbackModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackModelServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Urls.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1/");
        return server;
    }

    /// <summary>Writes one chat completion chunk with the given <c>delta</c> (and finish reason) as an SSE event.</summary>
    public static async Task WriteChunkAsync(HttpContext context, object delta, string? finishReason = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var chunk = new JsonObject
        {
            ["id"] = "chatcmpl-loopback",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_765_000_000,
            ["model"] = "loopback",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["delta"] = JsonSerializer.SerializeToNode(delta),
                ["finish_reason"] = finishReason,
            }),
        };
        await WriteEventAsync(context, chunk.ToJsonString());
    }

    /// <summary>Writes one raw SSE <c>data:</c> event and flushes it.</summary>
    public static async Task WriteEventAsync(HttpContext context, string data)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Response.HasStarted)
        {
            context.Response.ContentType = "text/event-stream";
        }

        await context.Response.WriteAsync("data: " + data + "\n\n", Encoding.UTF8);
        await context.Response.Body.FlushAsync();
    }

    /// <summary>Streams a text reply, one SSE event per piece, then <c>[DONE]</c>.</summary>
    public static async Task StreamTextAsync(HttpContext context, params string[] pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        await WriteChunkAsync(context, new { role = "assistant", content = string.Empty });
        foreach (var piece in pieces)
        {
            await WriteChunkAsync(context, new { content = piece });
        }

        await WriteChunkAsync(context, new { }, "stop");
        await WriteEventAsync(context, "[DONE]");
    }

    /// <summary>Streams a tool call whose arguments arrive in <paramref name="argumentPieces"/>, then <c>[DONE]</c>.</summary>
    public static async Task StreamToolCallAsync(HttpContext context, string name, params string[] argumentPieces)
    {
        ArgumentNullException.ThrowIfNull(argumentPieces);
        await WriteChunkAsync(context, new { role = "assistant", tool_calls = new[] { new { index = 0, id = "call_1", type = "function", function = new { name, arguments = string.Empty } } } });
        foreach (var piece in argumentPieces)
        {
            await WriteChunkAsync(context, new { tool_calls = new[] { new { index = 0, function = new { arguments = piece } } } });
        }

        await WriteChunkAsync(context, new { }, "tool_calls");
        await WriteEventAsync(context, "[DONE]");
    }

    /// <summary>Answers with a status code and an OpenAI-style error body.</summary>
    public static async Task ErrorAsync(HttpContext context, int status, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var error = new JsonObject { ["error"] = new JsonObject { ["message"] = message ?? $"loopback error {status}", ["type"] = "server_error", ["code"] = null } };
        await context.Response.WriteAsync(error.ToJsonString());
    }

    /// <summary>Drops the TCP connection without an HTTP answer (or mid-stream).</summary>
    public static void Abort(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Abort();
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
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var body = string.Empty;
        if (context.Request.HasFormContentType)
        {
            var read = await context.Request.ReadFormAsync(context.RequestAborted);
            foreach (var field in read)
            {
                form[field.Key] = field.Value.ToString();
            }

            foreach (var file in read.Files)
            {
                using var copy = new MemoryStream();
                await file.CopyToAsync(copy, context.RequestAborted);
                files[file.Name] = copy.ToArray();
                form[file.Name] = file.FileName;
            }
        }
        else
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var request = new RecordedRequest(context.Request.Path.Value ?? string.Empty, context.Request.Headers.Authorization.FirstOrDefault(), body, form, files);
        Requests.Enqueue(request);
        var number = Interlocked.Increment(ref _count);
        try
        {
            await Handler(context, request, number);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (it timed out or was interrupted); nothing to answer.
        }
    }
}
