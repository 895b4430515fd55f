using System.Net.Sockets;

namespace StepAudio.Telephony.Testing;

/// <summary>The real broker the integration tests use, on loopback; started by scripts/start-rabbitmq.sh.</summary>
public static class LocalRabbitMq
{
    public const string Host = "127.0.0.1";
    public const ushort Port = 5672;

    /// <summary>Fails the calling test (never skips it) when nothing listens on the broker port.</summary>
    public static async Task RequireReachableAsync()
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.ConnectAsync(Host, Port, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            throw new InvalidOperationException($"RabbitMQ not reachable on {Host}:{Port} — run scripts/start-rabbitmq.sh ({ex.Message})", ex);
        }
    }
}
