using System.Text;
using RabbitMQ.Client;

namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

/// <summary>Talks AMQP directly: publishes hand-written envelopes (newer contract versions) and removes durable test queues.</summary>
internal static class RawAmqp
{
    /// <summary>Publishes <paramref name="envelopeJson"/> (a MassTransit JSON envelope) to <paramref name="exchange"/>, persistent, with a confirm.</summary>
    public static async Task PublishAsync(string exchange, string envelopeJson, Guid messageId)
    {
        await using var connection = await Factory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties
        {
            ContentType = "application/vnd.masstransit+json",
            MessageId = messageId.ToString("D"),
            DeliveryMode = DeliveryModes.Persistent,
        };
        await channel.BasicPublishAsync(exchange, string.Empty, mandatory: false, properties, Encoding.UTF8.GetBytes(envelopeJson));
    }

    public static async Task DeleteQueueAsync(string queue)
    {
        await using var connection = await Factory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
    }

    private static ConnectionFactory Factory() => new() { HostName = RabbitMqBroker.Host, Port = RabbitMqBroker.Port };
}
