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
