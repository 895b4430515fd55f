namespace StepAudio.Telephony.Analytics.Configuration;

/// <summary>Where the analytics broker is. Defaults match the loopback broker of scripts/start-rabbitmq.sh.</summary>
public sealed class RabbitMqOptions
{
    /// <summary>Configuration section name used by the gateway and the event printer.</summary>
    public const string SectionName = "RabbitMq";

    /// <summary>The broker, or the first node tried when <see cref="Nodes"/> is empty.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public ushort Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    /// <summary>RabbitMQ accepts guest/guest only from loopback, which is where the default broker lives.</summary>
    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";

    /// <summary>
    /// Nodes of a RabbitMQ cluster as <c>host:port</c>, tried in order on every (re)connection: when the node in use
    /// goes away the connection moves to the next one that answers. Empty: only <see cref="Host"/>:<see cref="Port"/>.
    /// </summary>
    public IList<string> Nodes { get; } = [];
}
