using MassTransit;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.Analytics.Topology;

/// <summary>
/// Broker names shared by the publisher and every consumer. Exchange names are fixed here rather than
/// derived from CLR names so that renaming or moving a contract type does not silently create a new exchange.
/// </summary>
/// <remarks>
/// The message type URN in the envelope (<c>urn:message:StepAudio.Telephony.Analytics.Contracts.V1:CallStarted</c>)
/// still comes from the contract's namespace and name: MassTransit 8.5 can override it only with
/// <c>[MessageUrn]</c> on the type, which would make the contracts assembly depend on MassTransit.
/// The V1 namespace is therefore part of the wire contract; tests pin it.
/// </remarks>
public static class EventTopology
{
    public const string CallStartedExchange = "stepaudio.telephony.v1:CallStarted";
    public const string SpeechSegmentDetectedExchange = "stepaudio.telephony.v1:SpeechSegmentDetected";
    public const string DtmfReceivedExchange = "stepaudio.telephony.v1:DtmfReceived";
    public const string EmotionDetectedExchange = "stepaudio.telephony.v1:EmotionDetected";
    public const string VocalEventDetectedExchange = "stepaudio.telephony.v1:VocalEventDetected";
    public const string FrustrationChangedExchange = "stepaudio.telephony.v1:FrustrationChanged";
    public const string BargeInDetectedExchange = "stepaudio.telephony.v1:BargeInDetected";
    public const string CallTransferredExchange = "stepaudio.telephony.v1:CallTransferred";
    public const string CallEndedExchange = "stepaudio.telephony.v1:CallEnded";
    public const string ConversationTurnExchange = "stepaudio.telephony.v1:ConversationTurn";
    public const string CallEventExchange = "stepaudio.telephony:ICallEvent";

    /// <summary>The concrete event types a consumer can subscribe to, oldest first.</summary>
    public static IReadOnlyList<Type> EventTypes { get; } =
        [typeof(CallStarted), typeof(SpeechSegmentDetected), typeof(CallEnded), typeof(DtmfReceived),
         typeof(EmotionDetected), typeof(VocalEventDetected), typeof(FrustrationChanged), typeof(BargeInDetected),
         typeof(CallTransferred), typeof(ConversationTurn)];

    /// <summary>Applies the shared names; call it before configuring receive endpoints.</summary>
    public static void Configure(IRabbitMqBusFactoryConfigurator configurator)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        configurator.Message<CallStarted>(x => x.SetEntityName(CallStartedExchange));
        configurator.Message<SpeechSegmentDetected>(x => x.SetEntityName(SpeechSegmentDetectedExchange));
        configurator.Message<CallEnded>(x => x.SetEntityName(CallEndedExchange));
        configurator.Message<DtmfReceived>(x => x.SetEntityName(DtmfReceivedExchange));
        configurator.Message<EmotionDetected>(x => x.SetEntityName(EmotionDetectedExchange));
        configurator.Message<VocalEventDetected>(x => x.SetEntityName(VocalEventDetectedExchange));
        configurator.Message<FrustrationChanged>(x => x.SetEntityName(FrustrationChangedExchange));
        configurator.Message<BargeInDetected>(x => x.SetEntityName(BargeInDetectedExchange));
        configurator.Message<CallTransferred>(x => x.SetEntityName(CallTransferredExchange));
        configurator.Message<ConversationTurn>(x => x.SetEntityName(ConversationTurnExchange));
        // MassTransit binds each event exchange to its interfaces' exchanges, so a consumer of ICallEvent
        // receives every event type from one exchange.
        configurator.Message<ICallEvent>(x => x.SetEntityName(CallEventExchange));
    }
}
