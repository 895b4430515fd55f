using MassTransit;
using StepAudio.Telephony.Analytics.Configuration;

namespace StepAudio.Telephony.Analytics.Topology;

/// <summary>The one place that turns <see cref="RabbitMqOptions"/> into a MassTransit host, for publisher and consumers alike.</summary>
public static class BrokerConnection
{
    /// <summary>
    /// Connects <paramref name="configurator"/> to the broker <paramref name="broker"/> describes; with
    /// <see cref="RabbitMqOptions.Nodes"/> the connection fails over between the nodes of a cluster.
    /// </summary>
    public static void UseBroker(this IRabbitMqBusFactoryConfigurator configurator, RabbitMqOptions broker)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(broker);
        configurator.Host(broker.Host, broker.Port, broker.VirtualHost, h =>
        {
            h.Username(broker.Username);
            h.Password(broker.Password);
            if (broker.Nodes.Count > 0)
            {
                // The client walks this list in order on each connection attempt (MassTransit's sequential resolver).
                h.UseCluster(cluster =>
                {
                    foreach (var node in broker.Nodes)
                    {
                        cluster.Node(node);
                    }
                });
            }
        });
    }
}
