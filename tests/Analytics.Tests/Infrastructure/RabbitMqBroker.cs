namespace StepAudio.Telephony.Analytics.Tests.Infrastructure;

/// <summary>The shared loopback broker (<see cref="LocalRabbitMq"/>) and this project's queue names.</summary>
internal static class RabbitMqBroker
{
    public const string Host = LocalRabbitMq.Host;
    public const int Port = LocalRabbitMq.Port;

    /// <summary>Fails the calling test (never skips it) when nothing listens on the broker port.</summary>
    public static Task RequireReachableAsync() => LocalRabbitMq.RequireReachableAsync();

    public static string UniqueQueueName(string purpose) => $"analytics-tests-{purpose}-{Guid.NewGuid():N}";
}
