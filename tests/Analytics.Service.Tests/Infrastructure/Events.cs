using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

/// <summary>Events of one call, numbered like the gateway numbers them.</summary>
internal sealed class Events(string callId, DateTimeOffset start)
{
    private long _sequence;

    public string CallId { get; } = callId;

    public CallStarted Started(string? flow = "billing", string from = "sip:+4930123456@trunk.example") =>
        new(Guid.NewGuid(), CallId, ++_sequence, start, from, "sip:bot@gw.example", "PCMU/8000", flow);

    public EmotionDetected Emotion(string label, double confidence, double at = 2) =>
        new(Guid.NewGuid(), CallId, ++_sequence, start.AddSeconds(at), at - 1, at, label, confidence, 0.5, -0.4, "acoustic",
            [new LabelScore(label, confidence)]);

    public FrustrationChanged Frustration(double score, string level, double at = 3) =>
        new(Guid.NewGuid(), CallId, ++_sequence, start.AddSeconds(at), at, score, 0, level, null, []);

    public SpeechSegmentDetected Segment(double from, double to) =>
        new(Guid.NewGuid(), CallId, ++_sequence, start.AddSeconds(to), from, to, to - from);

    /// <summary>A turn's emotion over [from, to) on the audio clock, with its runner-up scores.</summary>
    public EmotionDetected Turn(string label, double confidence, double from, double to) =>
        new(Guid.NewGuid(), CallId, ++_sequence, start.AddSeconds(to + 0.3), from, to, label, confidence, 0.6, label == "Happy" ? 0.5 : -0.5,
            "acoustic", [new LabelScore(label, confidence), new LabelScore("Neutral", 1 - confidence)]);

    public FrustrationChanged Crossing(double score, double previous, string level, double? threshold, double at) =>
        new(Guid.NewGuid(), CallId, ++_sequence, start.AddSeconds(at), at, score, previous, level, threshold,
            [new FrustrationReason("negative-emotion", score * 0.6, at, "Angry 0.80"), new FrustrationReason("dtmf-repeat", score * 0.3, at, "key 0 x3")]);

    public DtmfReceived Key(string digit, double at) =>
        new(Guid.NewGuid(), CallId, ++_sequence, start.AddSeconds(at), digit, 0.12, "rfc4733");

    public BargeInDetected BargeIn(double at) => new(Guid.NewGuid(), CallId, ++_sequence, start.AddSeconds(at), at);

    public VocalEventDetected Vocal(string kind, double at = 4) =>
        new(Guid.NewGuid(), CallId, ++_sequence, start.AddSeconds(at), kind, at, 0.4, 0.9, false);

    public CallTransferred Transferred(string flow = "billing", double at = 5) =>
        new(Guid.NewGuid(), CallId, ++_sequence, start.AddSeconds(at), "sip:agent@pbx.example", "refer", "handoff", flow, 0.7);

    public CallEnded Ended(
        double durationSeconds,
        string? outcome = "completed",
        double peakFrustration = 0,
        IReadOnlyDictionary<string, int>? vocalEvents = null,
        string? flow = "billing") =>
        new(Guid.NewGuid(), CallId, ++_sequence, start.AddSeconds(durationSeconds), durationSeconds, "caller", "bye", 2,
            peakFrustration, vocalEvents, Outcome: outcome, Flow: flow);
}
