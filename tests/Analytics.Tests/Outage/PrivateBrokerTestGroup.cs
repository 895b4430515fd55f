namespace StepAudio.Telephony.Analytics.Tests.Outage;

/// <summary>
/// Tests that run private RabbitMQ nodes go one at a time: three Erlang nodes of the cluster test beside the outage
/// test's node starved a 2-core CI machine so that the publisher's reconnect outlasted the wait (one fresh-clone run).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PrivateBrokerTestGroup
{
    public const string Name = "Private RabbitMQ nodes";
}
