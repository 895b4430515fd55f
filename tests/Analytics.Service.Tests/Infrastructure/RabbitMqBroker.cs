using StepAudio.Telephony.Analytics.Configuration;
using MassTransit;
using StepAudio.Telephony.Analytics.Topology;

namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

/// <summary>The shared loopback broker (<see cref="LocalRabbitMq"/>), this project's queue names and a publishing bus.</summary>
internal static class RabbitMqBroker
{
    public const string Host = LocalRabbitMq.Host;
    public const ushort Port = LocalRabbitMq.Port;

    /// <summary>Fails the calling test (never skips it) when nothing listens on the broker port.</summary>
    public static Task RequireReachableAsync() => LocalRabbitMq.RequireReachableAsync();

    public static string UniqueQueueName(string purpose) => $"analytics-service-tests-{purpose}-{Guid.NewGuid():N}";

    /// <summary>A bus that publishes with the gateway's exchange names, as the gateway's publisher does.</summary>
    public static async Task<IBusControl> StartPublisherAsync()
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.UseBroker(new RabbitMqOptions { Host = Host, Port = Port });
            EventTopology.Configure(cfg);
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(timeout.Token);
        return bus;
    }
}
