using MassTransit;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.Service.Hosting;
using StepAudio.Telephony.Analytics.Service.Store;
using StepAudio.Telephony.Analytics.Topology;

namespace StepAudio.Telephony.Analytics.Service.Consuming;

/// <summary>Registers the service's receive endpoint: one queue bound to every event exchange of EventTopology.</summary>
internal static class BrokerConsumption
{
    public static IServiceCollection AddCallEventConsumption(this IServiceCollection services)
    {
        services.AddMassTransit(x =>
        {
            // No usage telemetry to MassTransit's host: nothing phones home.
            x.DisableUsageTelemetry();
            foreach (var eventType in EventTopology.EventTypes)
            {
                x.AddConsumer(typeof(CallEventConsumer<>).MakeGenericType(eventType));
            }

            x.UsingRabbitMq((context, cfg) =>
            {
                var broker = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                var analytics = context.GetRequiredService<IOptions<AnalyticsOptions>>().Value;
                var store = context.GetRequiredService<IOptions<StoreOptions>>().Value;
                cfg.UseBroker(broker);
                EventTopology.Configure(cfg);
                cfg.ReceiveEndpoint(analytics.QueueName, e =>
                {
                    e.Durable = !analytics.TransientQueue;
                    e.AutoDelete = analytics.TransientQueue;
                    if (!analytics.TransientQueue)
                    {
                        // Replicated over a RabbitMQ cluster (Raft): the queue and its events outlive any one node.
                        e.SetQuorumQueue();
                    }

                    // Messages are consumed concurrently so that the store can commit them in batches (two batches'
                    // worth: one fills while the other commits). Order does not matter: a call's summary is refolded
                    // from all its stored events, and the live view takes events in any order.
                    var inFlight = Math.Max(1, store.WriteBatchSize) * 2;
                    e.PrefetchCount = inFlight;
                    e.ConcurrentMessageLimit = inFlight;
                    // While the database is unavailable a message is retried without end and never acknowledged: it
                    // stays on the queue (redelivered to another instance if this one dies). Other failures (an event
                    // the database refuses) go to the error queue.
                    e.UseMessageRetry(r =>
                    {
                        r.Handle<StoreUnavailableException>();
                        r.Exponential(int.MaxValue, TimeSpan.FromMilliseconds(100), store.RetryMaxInterval, TimeSpan.FromMilliseconds(200));
                    });
                    e.ConfigureConsumers(context);
                });
            });
        });
        // Serve the page even while the broker is unreachable; MassTransit keeps reconnecting.
        services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = false);
        return services;
    }
}
