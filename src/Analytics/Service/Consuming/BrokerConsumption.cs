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

                    // One at a time: events of a call arrive in order and must be applied in that order.
                    e.PrefetchCount = 16;
                    e.ConcurrentMessageLimit = 1;
                    // While the database is unavailable the message is retried without end and never acknowledged:
                    // it stays on the queue (redelivered to another instance if this one dies), and with one message
                    // at a time nothing behind it is consumed meanwhile. Other failures go to the error queue.
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
