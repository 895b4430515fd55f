using MassTransit;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Ingestion;

namespace StepAudio.Telephony.Analytics.Service.Consuming;

/// <summary>
/// Stores every event of type <typeparamref name="TEvent"/>; one closed type per contract. The message is acknowledged
/// only when this returns, that is after the database committed it; a database failure throws and the retry policy
/// of <see cref="BrokerConsumption"/> keeps the message on the queue until the write succeeds.
/// </summary>
internal sealed class CallEventConsumer<TEvent>(CallEventIngestor ingestor, ConsumingMetrics metrics) : IConsumer<TEvent>
    where TEvent : class, ICallEvent
{
    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var result = await ingestor.IngestAsync(context.Message, context.MessageId, EnvelopeBody.MessageJson(context), context.CancellationToken);
        metrics.Consumed(result);
    }
}
