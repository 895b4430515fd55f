using System.Net.Sockets;
using MassTransit;
using StepAudio.Telephony.Analytics.Topology;

namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

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

    public static string UniqueQueueName(string purpose) => $"analytics-service-tests-{purpose}-{Guid.NewGuid():N}";

    /// <summary>A bus that publishes with the gateway's exchange names, as the gateway's publisher does.</summary>
    public static async Task<IBusControl> StartPublisherAsync()
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(Host, Port, "/", h =>
            {
                h.Username("guest");
                h.Password("guest");
            });
            EventTopology.Configure(cfg);
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(timeout.Token);
        return bus;
    }
}
