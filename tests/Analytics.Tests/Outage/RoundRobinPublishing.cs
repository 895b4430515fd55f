using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Tests.Outage;

/// <summary>Publishes calls' events as concurrent calls interleave on a gateway's queue: one event of every call per round.</summary>
internal static class RoundRobinPublishing
{
    public static async Task PublishAsync(PublisherHost host, IReadOnlyList<IReadOnlyList<ICallEvent>> calls, int eventsPerCall, TimeSpan roundInterval)
    {
        for (var position = 0; position < eventsPerCall; position++)
        {
            foreach (var call in calls)
            {
                Assert.True(host.Publisher.TryPublish(call[position]), "the outbox refused an event");
            }

            await Task.Delay(roundInterval);
        }
    }
}
