using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Diagnostics;
using StepAudio.Telephony.Analytics.Publishing;
using StepAudio.Telephony.Analytics.Queueing;
using StepAudio.Telephony.Analytics.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Tests.Publishing;

/// <summary>The delivery loop's windows against a scripted bus: concurrency across calls, order within one, retries.</summary>
public sealed class CallEventDeliveryWindowTests
{
    [Fact]
    public async Task Calls_are_published_concurrently_and_each_calls_events_one_at_a_time_in_order()
    {
        var (bus, script) = ScriptedPublishBus.Create();
        var calls = InterleavedCalls(count: 8, speechSegments: 3);

        await DeliverAllAsync(bus, calls, maxInFlight: 64);

        Assert.True(script.MaxInFlight > 1, "no two calls were ever published at the same time");
        Assert.InRange(script.MaxInFlight, 2, calls.Count); // one in flight per call at most
        Assert.Equal(0, script.SameCallOverlaps);
        foreach (var call in calls)
        {
            Assert.Equal(call, script.Attempts.Where(a => a.Event.CallId == call[0].CallId).Select(a => a.Event));
        }
    }

    [Fact]
    public async Task A_failed_event_is_retried_without_resending_confirmed_ones_and_its_call_waits_for_it()
    {
        var (bus, script) = ScriptedPublishBus.Create();
        var calls = InterleavedCalls(count: 3, speechSegments: 2);
        var failing = calls[1][1];
        script.FailNext(failing, times: 2);

        await DeliverAllAsync(bus, calls, maxInFlight: 64);

        var attemptsOfFailingCall = script.Attempts.Where(a => a.Event.CallId == failing.CallId).ToList();
        Assert.Equal(
            [calls[1][0], failing, failing, failing, calls[1][2], calls[1][3]],
            attemptsOfFailingCall.Select(a => a.Event));
        Assert.Equal([true, false, false, true, true, true], attemptsOfFailingCall.Select(a => a.Confirmed));
        foreach (var call in new[] { calls[0], calls[2] })
        {
            Assert.Equal(call, script.Attempts.Where(a => a.Event.CallId == call[0].CallId).Select(a => a.Event));
        }
    }

    [Fact]
    public async Task MaxInFlight_bounds_the_publishes_awaiting_a_confirm()
    {
        var (bus, script) = ScriptedPublishBus.Create();
        var calls = InterleavedCalls(count: 20, speechSegments: 1);

        await DeliverAllAsync(bus, calls, maxInFlight: 4);

        Assert.InRange(script.MaxInFlight, 2, 4);
        Assert.Equal(calls.Sum(c => c.Count), script.Attempts.Count);
    }

    private static List<IReadOnlyList<ICallEvent>> InterleavedCalls(int count, int speechSegments) =>
        Enumerable.Range(0, count).Select(i => CallEvents.OneCall($"call-{i}", speechSegments)).ToList();

    /// <summary>Queues the calls round-robin, runs the delivery service until the queue is empty, stops it.</summary>
    private static async Task DeliverAllAsync(MassTransit.IBus bus, List<IReadOnlyList<ICallEvent>> calls, int maxInFlight)
    {
        var queue = new BoundedChannelCallEventQueue(capacity: 1000);
        for (var position = 0; position < calls[0].Count; position++)
        {
            foreach (var call in calls)
            {
                Assert.True(queue.TryEnqueue(call[position]));
            }
        }

        using var metrics = new PublishingMetrics(() => queue.Count);
        var options = Options.Create(new EventPublishingOptions
        {
            MaxInFlight = maxInFlight,
            RetryBackoffBase = TimeSpan.FromMilliseconds(1),
            RetryBackoffMax = TimeSpan.FromMilliseconds(5),
        });
        using var service = new CallEventDeliveryService(queue, bus, metrics, options, NullLogger<CallEventDeliveryService>.Instance);
        await service.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => queue.Count == 0, TimeSpan.FromSeconds(20));
        await service.StopAsync(CancellationToken.None);
        Assert.Equal(0, service.UndeliveredAtShutdown);
    }
}
