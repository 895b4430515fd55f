using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.DependencyInjection;
using StepAudio.Telephony.Analytics.Publishing;

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
        Assert.NotNull(provider.GetRequiredService<ICallEventPublisher>());
    }

    [Fact]
    public void A_non_positive_queue_capacity_is_rejected_when_options_are_read()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCallEventPublishing(configurePublishing: o => o.QueueCapacity = 0);

        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EventPublishingOptions>>().Value);
    }
}
