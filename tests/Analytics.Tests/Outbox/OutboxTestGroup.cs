namespace StepAudio.Telephony.Analytics.Tests.Outbox;

/// <summary>
/// Outbox tests run one at a time: every outbox records its instruments on the shared "StepAudio.Telephony"
/// meter from its constructor, before a test could single out its instance, so parallel tests would mix counts.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OutboxTestGroup
{
    public const string Name = "Outbox";
}
