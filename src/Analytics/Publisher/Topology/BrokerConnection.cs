using MassTransit;
using StepAudio.Telephony.Analytics.Configuration;

namespace StepAudio.Telephony.Analytics.Topology;

/// <summary>The one place that turns <see cref="RabbitMqOptions"/> into a MassTransit host, for publisher and consumers alike.</summary>
public static class BrokerConnection
{
    /// <summary>Connects <paramref name="configurator"/> to the broker <paramref name="broker"/> describes.</summary>
    public static void UseBroker(this IRabbitMqBusFactoryConfigurator configurator, RabbitMqOptions broker)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(broker);
        configurator.Host(broker.Host, broker.Port, broker.VirtualHost, h =>
        {
            h.Username(broker.Username);
            h.Password(broker.Password);
        });
    }
}
