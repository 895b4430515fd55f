using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.DependencyInjection;
using StepAudio.Telephony.Analytics.Outbox;
using StepAudio.Telephony.Analytics.Publishing;
using StepAudio.Telephony.Analytics.Queueing;

namespace StepAudio.Telephony.Analytics.Tests.DependencyInjection;

public sealed class CallEventPublishingServiceCollectionExtensionsTests
{
    [Fact]
    public void Options_bind_from_the_RabbitMq_and_Publishing_subsections()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:RabbitMq:Host"] = "broker.internal",
            ["Analytics:RabbitMq:Port"] = "5673",
            ["Analytics:RabbitMq:Username"] = "gateway",
            ["Analytics:Publishing:QueueCapacity"] = "42",
            ["Analytics:Publishing:PublishTimeout"] = "00:00:03",
            ["Analytics:Publishing:MaxInFlight"] = "9",
            ["Analytics:Publishing:Outbox:Enabled"] = "false",
            ["Analytics:Publishing:Outbox:MaxBytes"] = "123456789",
        }).Build();
        var services = new ServiceCollection().AddLogging();

        services.AddCallEventPublishing(configuration.GetSection("Analytics"));

        using var provider = services.BuildServiceProvider();
        var rabbitMq = provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
        var publishing = provider.GetRequiredService<IOptions<EventPublishingOptions>>().Value;
        Assert.Equal(("broker.internal", (ushort)5673, "gateway", "guest", "/"),
            (rabbitMq.Host, rabbitMq.Port, rabbitMq.Username, rabbitMq.Password, rabbitMq.VirtualHost));
        Assert.Equal(42, publishing.QueueCapacity);
        Assert.Equal(TimeSpan.FromSeconds(3), publishing.PublishTimeout);
        Assert.Equal(9, publishing.MaxInFlight);
        var outbox = provider.GetRequiredService<IOptions<OutboxOptions>>().Value;
        Assert.Equal((false, 123456789L), (outbox.Enabled, outbox.MaxBytes));
        Assert.NotNull(provider.GetRequiredService<ICallEventPublisher>());
        Assert.IsType<BoundedChannelCallEventQueue>(provider.GetRequiredService<ICallEventQueue>());
    }

    [Fact]
    public void The_disk_outbox_is_the_queue_by_default_in_the_configured_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "stepaudio-di-outbox-" + Guid.NewGuid().ToString("N"));
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Publishing:Outbox:Directory"] = directory,
            }).Build();
            var services = new ServiceCollection().AddLogging();
            services.AddCallEventPublishing(configuration);

            using (var provider = services.BuildServiceProvider())
            {
                var queue = Assert.IsType<DiskCallEventQueue>(provider.GetRequiredService<ICallEventQueue>());
                Assert.Equal(directory, queue.Directory);
                Assert.True(Directory.Exists(directory));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_non_positive_queue_capacity_is_rejected_when_options_are_read()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCallEventPublishing(configurePublishing: o => o.QueueCapacity = 0, configureOutbox: o => o.Enabled = false);

        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EventPublishingOptions>>().Value);
    }
}
