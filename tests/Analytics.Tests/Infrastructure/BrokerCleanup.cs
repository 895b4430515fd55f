using RabbitMQ.Client;

namespace StepAudio.Telephony.Analytics.Tests.Infrastructure;

/// <summary>Removes the durable queue (and MassTransit's same-named exchange) a test created.</summary>
internal static class BrokerCleanup
{
    public static async Task DeleteQueueAsync(string queueName)
    {
        var factory = new ConnectionFactory { HostName = RabbitMqBroker.Host, Port = RabbitMqBroker.Port };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queueName);
        await channel.ExchangeDeleteAsync(queueName);
    }
}
