using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.Diagnostics;
using StepAudio.Telephony.Analytics.Outbox;
using StepAudio.Telephony.Analytics.Publishing;
using StepAudio.Telephony.Analytics.Queueing;
using StepAudio.Telephony.Analytics.Topology;

namespace StepAudio.Telephony.Analytics.DependencyInjection;

/// <summary>Registers the call event publisher, its delivery service and the MassTransit bus it uses.</summary>
public static class CallEventPublishingServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RabbitMqOptions"/> from <c>{section}:RabbitMq</c> and <see cref="EventPublishingOptions"/>
    /// from <c>{section}:Publishing</c>, e.g. section "Analytics" with keys <c>Analytics:RabbitMq:Host</c>,
    /// and <see cref="OutboxOptions"/> from <c>{section}:Publishing:Outbox</c>.
    /// </summary>
    public static IServiceCollection AddCallEventPublishing(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.Configure<RabbitMqOptions>(section.GetSection(RabbitMqOptions.SectionName));
        var publishingSection = section.GetSection(EventPublishingOptions.SectionName);
        services.Configure<EventPublishingOptions>(publishingSection);
        services.Configure<OutboxOptions>(publishingSection.GetSection(OutboxOptions.SectionName));
        return services.AddCallEventPublishing();
    }

    /// <summary>
    /// Registers with options set in code (defaults: loopback broker, guest/guest, disk outbox in
    /// <c>./outbox</c> under the current directory).
    /// </summary>
    public static IServiceCollection AddCallEventPublishing(
        this IServiceCollection services,
        Action<RabbitMqOptions>? configureRabbitMq = null,
        Action<EventPublishingOptions>? configurePublishing = null,
        Action<OutboxOptions>? configureOutbox = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var rabbitMq = services.AddOptions<RabbitMqOptions>();
        var publishing = services.AddOptions<EventPublishingOptions>()
            .Validate(o => o.QueueCapacity > 0, "Publishing:QueueCapacity must be positive.")
            .Validate(o => o.MaxInFlight > 0, "Publishing:MaxInFlight must be positive.")
            .Validate(o => o.PublishTimeout > TimeSpan.Zero, "Publishing:PublishTimeout must be positive.")
            .Validate(o => o.RetryBackoffBase > TimeSpan.Zero && o.RetryBackoffMax >= o.RetryBackoffBase,
                "Publishing:RetryBackoffBase must be positive and not above RetryBackoffMax.")
            .Validate(o => o.DrainTimeout >= TimeSpan.Zero, "Publishing:DrainTimeout must not be negative.");
        if (configureRabbitMq is not null)
        {
            rabbitMq.Configure(configureRabbitMq);
        }

        if (configurePublishing is not null)
        {
            publishing.Configure(configurePublishing);
        }

        var outbox = services.AddOptions<OutboxOptions>()
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.Directory), "Publishing:Outbox:Directory must be set.");
        if (configureOutbox is not null)
        {
            outbox.Configure(configureOutbox);
        }

        // The container disposes the queue it created, which closes the outbox files and releases its lock.
        services.AddSingleton<ICallEventQueue>(CreateQueue);
        services.AddSingleton(sp =>
        {
            var queue = sp.GetRequiredService<ICallEventQueue>();
            return new PublishingMetrics(() => queue.Count);
        });
        services.AddSingleton<ICallEventPublisher, QueueingCallEventPublisher>();
        services.AddSingleton(sp => new PublishingHealth(
            sp.GetRequiredService<IBusControl>(), sp.GetRequiredService<ICallEventQueue>(), sp.GetRequiredService<IOptions<OutboxOptions>>()));

        services.AddMassTransit(x =>
        {
            // MassTransit 8.4+ would report usage to an outside host after start: this product never phones home.
            x.DisableUsageTelemetry();
            x.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                cfg.UseBroker(options);
                EventTopology.Configure(cfg);
            });
        });

        // The gateway must start and take calls with the broker down: the bus connects in the background
        // and the delivery service holds events until it does. Bounded stop so a dead broker cannot stall shutdown.
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });

        // Registered after AddMassTransit so the host stops it first: the drain runs while the bus is still up.
        services.AddSingleton<CallEventDeliveryService>();
        services.AddHostedService(sp => sp.GetRequiredService<CallEventDeliveryService>());
        return services;
    }

    /// <summary>
    /// The disk outbox unless switched off: only it keeps events through a broker outage that outlives the
    /// process. Publishing:QueueCapacity then bounds nothing; Publishing:Outbox:MaxBytes does.
    /// </summary>
    private static ICallEventQueue CreateQueue(IServiceProvider services)
    {
        var outbox = services.GetRequiredService<IOptions<OutboxOptions>>().Value;
        if (outbox.Enabled)
        {
            return new DiskCallEventQueue(
                outbox,
                services.GetRequiredService<ILogger<DiskCallEventQueue>>(),
                services.GetService<TimeProvider>() ?? TimeProvider.System);
        }

        return new BoundedChannelCallEventQueue(services.GetRequiredService<IOptions<EventPublishingOptions>>().Value.QueueCapacity);
    }
}
