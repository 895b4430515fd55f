namespace StepAudio.Telephony.Analytics.Tests.Infrastructure;

/// <summary>
/// Tests that publish to the shared event exchanges run one at a time: every queue bound to those fanout
/// exchanges sees every test's events, and the event printer exits on the first CallEnded it reads.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedBrokerTests
{
    public const string Name = "RabbitMQ";
}
