using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Webhooks;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and an OS-chosen port, one request per connection, answering with
/// <see cref="Respond"/>. Enough for HttpClient; keeps what it received.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requestCount;

    public LoopbackHttpServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Answers a request: status, body, and how long to wait before answering.</summary>
    public Func<ReceivedRequest, (int Status, string Body, TimeSpan Delay)> Respond { get; set; } = _ => (200, "{}", TimeSpan.Zero);

    /// <summary>
    /// When set, answers instead of <see cref="Respond"/> with bytes of a content type; without a length the body is
    /// sent until the connection closes (as a server streaming a file of unknown size does).
    /// </summary>
    public Func<ReceivedRequest, LoopbackResponse>? RespondBytes { get; set; }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook");

    public int RequestCount => Volatile.Read(ref _requestCount);

    public List<ReceivedRequest> Requests { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream);
                lock (Requests)
                {
                    Requests.Add(request);
                }

                Interlocked.Increment(ref _requestCount);
                var response = RespondBytes?.Invoke(request) ?? Json(Respond(request));
                if (response.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(response.Delay, _stop.Token);
                }

                var length = response.SendLength ? $"Content-Length: {response.Body.Length}\r\n" : string.Empty;
                var head = $"HTTP/1.1 {response.Status} Test\r\nContent-Type: {response.ContentType}\r\n{length}Connection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await stream.WriteAsync(response.Body, _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
                // The client gave up (a timeout under test) or the server is stopping.
            }
        }
    }

    private static LoopbackResponse Json((int Status, string Body, TimeSpan Delay) answer) =>
        new(answer.Status, Encoding.UTF8.GetBytes(answer.Body), "application/json", answer.Delay);

    private static async Task<ReceivedRequest> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(buffer) && await stream.ReadAsync(one) == 1)
        {
            buffer.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. buffer]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = new byte[headers.TryGetValue("Content-Length", out var length) ? int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) : 0];
        await stream.ReadExactlyAsync(body);
        return new ReceivedRequest(lines[0].Split(' ')[0], headers, Encoding.UTF8.GetString(body)) { Bytes = body, Target = lines[0].Split(' ')[1] };
    }

    private static bool EndsWithBlankLine(List<byte> b) =>
        b.Count >= 4 && b[^4] == '\r' && b[^3] == '\n' && b[^2] == '\r' && b[^1] == '\n';
}
