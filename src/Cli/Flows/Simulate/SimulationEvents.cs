using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// Builds the events the gateway would publish for the simulated call, stamped the way the gateway's
/// CallEventFactory stamps them: the call id, a gap-free sequence from 1 and the (virtual) time they describe.
/// </summary>
internal sealed class SimulationEvents(string callId, DateTimeOffset answeredAt, Action<TimeSpan, ICallEvent> publish)
{
    private long _sequence;

    public void Started(TimeSpan at, string from, string to, string flow, string flowVersion) =>
        publish(at, new CallStarted(Guid.CreateVersion7(), callId, Next(), Stamp(at), from, to, "simulation", flow, flowVersion));

    public void Segment(TimeSpan at, TimeSpan start, TimeSpan end) =>
        publish(at, new SpeechSegmentDetected(Guid.CreateVersion7(), callId, Next(), Stamp(at), start.TotalSeconds, end.TotalSeconds, (end - start).TotalSeconds));

    public void Dtmf(TimeSpan at, char digit) =>
        publish(at, new DtmfReceived(Guid.CreateVersion7(), callId, Next(), Stamp(at), digit.ToString(), 0.1, "script"));

    public void Emotion(TimeSpan at, TimeSpan start, SegmentAnalysis analysis)
    {
        var emotion = analysis.Emotion;
        var top = emotion.Scores.OrderByDescending(s => s.Score).Take(3).Select(s => new LabelScore(s.Label.ToString(), Finite(s.Score))).ToList();
        publish(at, new EmotionDetected(
            Guid.CreateVersion7(), callId, Next(), Stamp(at), start.TotalSeconds, (start + analysis.Duration).TotalSeconds, emotion.Label.ToString(),
            Finite(emotion.Confidence), Finite(emotion.Arousal), Finite(emotion.Valence), emotion.Source, top));
    }

    public void Vocal(TimeSpan at, VocalEvent vocal, bool inSpeech) =>
        publish(at, new VocalEventDetected(
            Guid.CreateVersion7(), callId, Next(), Stamp(at), vocal.Kind.ToString(), vocal.Start.TotalSeconds, vocal.Duration.TotalSeconds, Finite(vocal.Confidence), inSpeech));

    public void Frustration(FrustrationChange change) =>
        publish(change.At, new FrustrationChanged(
            Guid.CreateVersion7(), callId, Next(), Stamp(change.At), change.At.TotalSeconds, Finite(change.Score), Finite(change.Previous), change.LevelName,
            change.ThresholdCrossed,
            change.TopReasons.Select(r => new Analytics.Contracts.V1.FrustrationReason(r.CueName, Finite(r.Contribution), r.At.TotalSeconds, r.Detail)).ToList()));

    public void BargeIn(TimeSpan at) =>
        publish(at, new BargeInDetected(Guid.CreateVersion7(), callId, Next(), Stamp(at), at.TotalSeconds));

    public void Transferred(TimeSpan at, string target, string mode, string step, string flow, double frustration) =>
        publish(at, new CallTransferred(Guid.CreateVersion7(), callId, Next(), Stamp(at), target, mode, step, flow, Finite(frustration)));

    public void Ended(TimeSpan at, CallEnded ended) => publish(at, ended with { Sequence = Next(), Timestamp = Stamp(at) });

    // ICallEvent.Timestamp is UTC, whatever offset --at was written with.
    public DateTimeOffset Stamp(TimeSpan at) => (answeredAt + at).ToUniversalTime();

    // JSON has no NaN: a misbehaving analyzer must not make an event unserialisable.
    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private long Next() => ++_sequence;
}
