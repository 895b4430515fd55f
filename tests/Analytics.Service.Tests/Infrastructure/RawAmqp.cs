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
        // The connection is opened inside the try: a connection-level close (541) also surfaces when it is disposed.
        try
        {
            await using var connection = await Factory().CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            var message = await channel.BasicGetAsync(queue, autoAck: true);
            return message is null ? null : Encoding.UTF8.GetString(message.Body.Span);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            // 404 NOT_FOUND (AMQP 0-9-1 §1.8.3.1): nothing was ever dead-lettered there.
            return null;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (IsQueueStarting(ex.ShutdownReason))
        {
            // The queue is being declared at this moment (MassTransit creates <queue>_error when it moves the first
            // fault): RabbitMQ knows its name but its process is not up yet and answers 541 "noproc". Seen once in
            // CI; it is "not there yet", so the caller polls again.
            return null;
        }
    }

    private static bool IsQueueStarting(RabbitMQ.Client.Events.ShutdownEventArgs? reason) =>
        reason is { ReplyCode: 541 } && reason.ReplyText.Contains("noproc", StringComparison.Ordinal);

    private static ConnectionFactory Factory() => new() { HostName = RabbitMqBroker.Host, Port = RabbitMqBroker.Port };
}
