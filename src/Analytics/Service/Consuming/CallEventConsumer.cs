using MassTransit;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Aggregates;

namespace StepAudio.Telephony.Analytics.Service.Consuming;

/// <summary>Feeds every event of type <typeparamref name="TEvent"/> to the aggregator; one closed type per contract.</summary>
internal sealed class CallEventConsumer<TEvent>(CallAggregator aggregator, ConsumingMetrics metrics) : IConsumer<TEvent>
    where TEvent : class, ICallEvent
{
    public Task Consume(ConsumeContext<TEvent> context)
    {
        // The publisher sets MessageId = EventId; a message without one still de-duplicates on the event id.
        var result = aggregator.Apply(context.Message, context.MessageId ?? context.Message.EventId);
        metrics.Consumed(result);
        return Task.CompletedTask;
    }
}
