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

    /// <summary>Takes (acknowledges) the next message of <paramref name="queue"/>; null when it has none or does not exist.</summary>
    public static async Task<string?> TakeAsync(string queue)
    {
        await using var connection = await Factory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            var message = await channel.BasicGetAsync(queue, autoAck: true);
            return message is null ? null : Encoding.UTF8.GetString(message.Body.Span);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            // 404 NOT_FOUND (AMQP 0-9-1 §1.8.3.1): nothing was ever dead-lettered there.
            return null;
        }
    }

    private static ConnectionFactory Factory() => new() { HostName = RabbitMqBroker.Host, Port = RabbitMqBroker.Port };
}
