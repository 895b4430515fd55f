using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.Analytics.Tests.Contracts;

/// <summary>
/// One instance of every event with every field set to a non-default value, matching golden/&lt;Type&gt;.json
/// (written by hand from docs/events.md, not captured from the serializer).
/// </summary>
internal static class ContractSamples
{
    public static readonly Guid EventId = Guid.Parse("7d2c6a84-6f0e-4c1b-9a53-2f1e8b9c0d11");
    public static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    public const string CallId = "c-42";

    public static IReadOnlyDictionary<Type, ICallEvent> All { get; } = new Dictionary<Type, ICallEvent>
    {
        [typeof(CallStarted)] = new CallStarted(EventId, CallId, 1, At, "sip:+4930123456@trunk.example",
            "sip:support@gw.example", "PCMU/8000", "support", "a1b2c3d"),
        [typeof(SpeechSegmentDetected)] = new SpeechSegmentDetected(EventId, CallId, 2, At, 1.25, 2.75, 1.5, Turn: 1),
        [typeof(EmotionDetected)] = new EmotionDetected(EventId, CallId, 3, At, 1.25, 2.75, "Angry", 0.6, 0.7, -0.5,
            "acoustic", [new LabelScore("Angry", 0.8), new LabelScore("Frustrated", 0.2)], Turn: 1,
            Cues: [new AcousticCue("loudness-vs-caller", 6.5, 1.2), new AcousticCue("pitch-spread", 4.1, 0.6)], WordsVoice: "ambiguous_negative"),
        [typeof(VocalEventDetected)] = new VocalEventDetected(EventId, CallId, 4, At, "Sigh", 3, 0.9, 0.7, InSpeech: true, Turn: 2,
            Cues: [new AcousticCue("breathiness", 0.31, 1.4)]),
        [typeof(FrustrationChanged)] = new FrustrationChanged(EventId, CallId, 5, At, 3.5, 0.71, 0.5, "high", 0.7,
            [new FrustrationReason("negative-emotion", 0.4, 2.75, "Angry 0.80")]),
        [typeof(BargeInDetected)] = new BargeInDetected(EventId, CallId, 6, At, 7.5, Turn: 3),
        [typeof(DtmfReceived)] = new DtmfReceived(EventId, CallId, 7, At, "5", 0.12, "rfc4733"),
        [typeof(CallTransferred)] = new CallTransferred(EventId, CallId, 8, At, "sip:agent@pbx.example", "refer",
            "handoff", "support", 0.71, "remote"),
        [typeof(CallEnded)] = new CallEnded(EventId, CallId, 9, At, 60, "caller", "bye", 5, 0.72,
            new Dictionary<string, int> { ["Sigh"] = 2, ["Laugh"] = 1 }, 0.25, 0.75, 1, 2, 0.42, 0.9,
            "transferred", "handoff", "support", "a1b2c3d", 3),
        [typeof(ConversationTurn)] = new ConversationTurn(EventId, CallId, 10, At, "assistant", 2, "audio", 12.5, 0.31, -0.12,
            0.42, 0.55, "r1-primary", 2, "interrupted", 1.8, true, "set_variable", EarlyRequest: true),
    };
}
