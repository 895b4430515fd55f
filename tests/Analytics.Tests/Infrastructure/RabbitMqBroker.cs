using System.Net.Sockets;

namespace StepAudio.Telephony.Analytics.Tests.Infrastructure;

/// <summary>The real broker the integration tests use; started by scripts/start-rabbitmq.sh.</summary>
internal static class RabbitMqBroker
{
    public const string Host = "127.0.0.1";
    public const int Port = 5672;

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
            Assert.Fail($"RabbitMQ not reachable on {Host}:{Port} — run scripts/start-rabbitmq.sh ({ex.Message})");
        }
    }

    /// <summary>A loopback port nothing listens on (bound once by the OS, then released).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static string UniqueQueueName(string purpose) => $"analytics-tests-{purpose}-{Guid.NewGuid():N}";
}
