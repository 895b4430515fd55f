using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Analytics.Diagnostics;
using StepAudio.Telephony.Analytics.Publishing;
using StepAudio.Telephony.Analytics.Queueing;
using StepAudio.Telephony.Analytics.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Tests.Publishing;

public sealed class QueueingCallEventPublisherTests
{
    [Fact]
    public void A_full_queue_rejects_the_event_and_counts_it_without_dropping_queued_ones()
    {
        var queue = new BoundedChannelCallEventQueue(capacity: 2);
        using var metrics = new PublishingMetrics(() => queue.Count);
        var publisher = new QueueingCallEventPublisher(queue, metrics, NullLogger<QueueingCallEventPublisher>.Instance);
        var measurements = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            measurements[instrument.Name] = measurements.GetValueOrDefault(instrument.Name) + value);
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => measurements[instrument.Name] = value);
        listener.Start();
        var events = CallEvents.OneCall("call-full", speechSegments: 1);

        Assert.True(publisher.TryPublish(events[0]));
        Assert.True(publisher.TryPublish(events[1]));
        Assert.False(publisher.TryPublish(events[2]));
        listener.RecordObservableInstruments();

        Assert.Equal(1, measurements["stepaudio.analytics.events.rejected"]);
        Assert.Equal(2, measurements["stepaudio.analytics.queue.depth"]);
        Assert.True(queue.TryPeek(out var head));
        Assert.Same(events[0], head);
    }
}
