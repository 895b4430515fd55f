using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NAudio.Codecs;

namespace StepAudio.Telephony.Testing.ModelServers;

/// <summary>
/// One accepted Realtime WebSocket of <see cref="LoopbackRealtimeServer"/>: sends are one at a time, the response in
/// progress runs as a task of its own (so a <c>response.cancel</c> is read while it streams) and its script helpers
/// write the documented server events of a response.
/// </summary>
public sealed class RealtimeServerSession : IDisposable
{
    /// <summary>µ-law bytes per 100 ms audio delta.</summary>
    public const int DeltaBytes = 800;

    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly object _gate = new();
    private CancellationTokenSource? _response;
    private Task _running = Task.CompletedTask;

    internal RealtimeServerSession(WebSocket socket, int number)
    {
        _socket = socket;
        Number = number;
    }

    /// <summary>The connection's number from 1.</summary>
    public int Number { get; }

    /// <summary>The id of the response in progress (<c>resp_N</c>).</summary>
    public string ResponseId { get; private set; } = string.Empty;

    /// <summary>The id of its assistant audio item (<c>item_rN</c>).</summary>
    public string AudioItemId { get; private set; } = string.Empty;

    /// <summary>Cancelled when the client sends <c>response.cancel</c>.</summary>
    public CancellationToken Token { get; private set; }

    /// <summary>Sends one server event (an object serialised as JSON).</summary>
    public async Task SendAsync(object serverEvent)
    {
        var json = serverEvent is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(serverEvent);
        await SendRawAsync(json);
    }

    /// <summary>Sends one text frame as it is (malformed events included).</summary>
    public async Task SendRawAsync(string text)
    {
        await _send.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _send.Dispose();

    /// <summary>Drops the TCP connection without a close handshake.</summary>
    public void Abort() => _socket.Abort();

    /// <summary>
    /// A whole response: <paramref name="audio"/> of a 440 Hz tone as 100 ms <c>response.output_audio.delta</c> events
    /// (one every <paramref name="pace"/>, none by default) with <paramref name="transcript"/> spread over
    /// <c>response.output_audio_transcript.delta</c> events, then each tool as a function call, then <c>response.done</c>.
    /// </summary>
    public async Task ReplyAsync(TimeSpan audio, string transcript, TimeSpan pace = default, params (string Name, string Arguments)[] tools)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(tools);
        await CreatedAsync();
        await AudioAsync(audio, transcript, pace);
        for (var i = 0; i < tools.Length; i++)
        {
            await FunctionCallAsync($"call_{ResponseId}_{i}", tools[i].Name, tools[i].Arguments);
        }

        await DoneAsync("completed");
    }

    /// <summary><c>response.created</c> and the assistant message item.</summary>
    public async Task CreatedAsync()
    {
        await SendAsync(new { type = "response.created", response = new { id = ResponseId, @object = "realtime.response", status = "in_progress" } });
        await SendAsync(new { type = "response.output_item.added", response_id = ResponseId, output_index = 0, item = new { id = AudioItemId, type = "message", role = "assistant", status = "in_progress" } });
    }

    /// <summary>Audio deltas (a tone) with the transcript spread over them; stops when the response is cancelled.</summary>
    public async Task AudioAsync(TimeSpan audio, string transcript, TimeSpan pace = default)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var pieces = Math.Max(1, (int)Math.Ceiling(audio.TotalMilliseconds / 100));
        var words = transcript.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var tone = Tone(DeltaBytes);
        for (var i = 0; i < pieces; i++)
        {
            Token.ThrowIfCancellationRequested();
            var said = string.Join(' ', words.Skip(i * words.Length / pieces).Take(((i + 1) * words.Length / pieces) - (i * words.Length / pieces)));
            if (said.Length > 0)
            {
                await SendAsync(new { type = "response.output_audio_transcript.delta", response_id = ResponseId, item_id = AudioItemId, output_index = 0, content_index = 0, delta = said + " " });
            }

            await SendAsync(new { type = "response.output_audio.delta", response_id = ResponseId, item_id = AudioItemId, output_index = 0, content_index = 0, delta = Convert.ToBase64String(tone) });
            if (pace > TimeSpan.Zero)
            {
                await Task.Delay(pace, Token);
            }
        }

        await SendAsync(new { type = "response.output_audio.done", response_id = ResponseId, item_id = AudioItemId, output_index = 0, content_index = 0 });
        await SendAsync(new { type = "response.output_audio_transcript.done", response_id = ResponseId, item_id = AudioItemId, output_index = 0, content_index = 0, transcript });
    }

    /// <summary>A function call item, its arguments in two deltas, then <c>response.function_call_arguments.done</c>.</summary>
    public async Task FunctionCallAsync(string callId, string name, string arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var item = "item_fc_" + callId;
        await SendAsync(new { type = "response.output_item.added", response_id = ResponseId, output_index = 1, item = new { id = item, type = "function_call", call_id = callId, name, arguments = string.Empty } });
        var half = arguments.Length / 2;
        await SendAsync(new { type = "response.function_call_arguments.delta", response_id = ResponseId, item_id = item, output_index = 1, call_id = callId, delta = arguments[..half] });
        await SendAsync(new { type = "response.function_call_arguments.delta", response_id = ResponseId, item_id = item, output_index = 1, call_id = callId, delta = arguments[half..] });
        await SendAsync(new { type = "response.function_call_arguments.done", response_id = ResponseId, item_id = item, output_index = 1, call_id = callId, name, arguments });
    }

    /// <summary><c>response.done</c> with a status (<c>completed</c>, <c>cancelled</c>, <c>failed</c>, <c>incomplete</c>).</summary>
    public Task DoneAsync(string status) =>
        SendAsync(new { type = "response.done", response = new { id = ResponseId, @object = "realtime.response", status, output = Array.Empty<object>() } });

    internal async Task<JsonObject?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(64 * 1024), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(buffer.WrittenSpan) as JsonObject ?? [];
            }
        }
    }

    internal void StartResponse(int number, Func<RealtimeServerSession, int, Task> script)
    {
        lock (_gate)
        {
            var cancel = new CancellationTokenSource();
            _response = cancel;
            ResponseId = $"resp_{number}";
            AudioItemId = $"item_r{number}";
            Token = cancel.Token;
            _running = Task.Run(async () =>
            {
                try
                {
                    await script(this, number);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    // The documented answer to response.cancel: the response ends with status "cancelled".
                    await DoneAsync("cancelled");
                }
                catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
                {
                    // The socket went away (or the script dropped it).
                }
                finally
                {
                    lock (_gate)
                    {
                        if (_response == cancel)
                        {
                            _response = null;
                        }
                    }

                    cancel.Dispose();
                }
            });
        }
    }

    /// <summary>Cancels the response in progress; false when there is none.</summary>
    internal bool StopResponse()
    {
        lock (_gate)
        {
            if (_response is null)
            {
                return false;
            }

            _response.Cancel();
            _response = null;
            return true;
        }
    }

    internal Task WaitForResponseAsync() => _running.ContinueWith(static _ => { }, TaskScheduler.Default);

    private static byte[] Tone(int samples)
    {
        var tone = new byte[samples];
        for (var i = 0; i < samples; i++)
        {
            tone[i] = MuLawEncoder.LinearToMuLawSample((short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000.0)));
        }

        return tone;
    }
}
