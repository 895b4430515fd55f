using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.CallEngine.Analysis;

namespace StepAudio.Telephony.CallEngine.Events;

/// <summary>
/// Stamps one call's events with its id, a gap-free sequence number and a time, so consumers can order
/// and de-duplicate them. Thread-safe: media and signalling threads both create events for a call.
/// </summary>
public sealed class CallEventFactory(string callId, TimeProvider time)
{
    private const int TopCues = 3;
    private const int TopLabels = 3;

    private long _sequence;

    public string CallId { get; } = callId;

    public CallStarted Started(string from, string to, string codec, string? flow = null, string? flowVersion = null) =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), from, to, codec, flow, flowVersion);

    public SpeechSegmentDetected Segment(TimeSpan start, TimeSpan end, int? turn = null) =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), start.TotalSeconds, end.TotalSeconds, (end - start).TotalSeconds, turn);

    public DtmfReceived Dtmf(char digit, TimeSpan duration, string source) =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), digit.ToString(), duration.TotalSeconds, source);

    public CallEnded Ended(
        TimeSpan duration, string hungUpBy, string reason, int speechSegments, CallAnalysisSummary? analysis = null, FlowResult? flow = null,
        long vadWindowsSkipped = 0)
    {
        // The outcome's wire form is the lower-case enum name (config/flows/README.md, "Outcome").
        var outcome = flow?.Outcome.ToString().ToLowerInvariant();
        if (analysis is null)
        {
            return new(
                Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), duration.TotalSeconds, hungUpBy, reason, speechSegments,
                Outcome: outcome, LastStep: flow?.LastStep, Flow: flow?.FlowName, FlowVersion: flow?.FlowVersion,
                VadWindowsSkipped: vadWindowsSkipped);
        }

        var talk = duration > TimeSpan.Zero ? Math.Clamp(analysis.SpeechSeconds / duration.TotalSeconds, 0, 1) : 0;
        return new(
            Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), duration.TotalSeconds, hungUpBy, reason, speechSegments,
            analysis.PeakFrustration, analysis.VocalEvents, talk, 1 - talk, analysis.BargeIns, analysis.Skipped,
            analysis.TurnEndP50.TotalSeconds, analysis.TurnEndP95.TotalSeconds, outcome, flow?.LastStep, flow?.FlowName, flow?.FlowVersion,
            vadWindowsSkipped);
    }

    public ConversationTurn ConversationTurn(Func<Guid, string, long, DateTimeOffset, ConversationTurn> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return create(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow());
    }

    public CallTransferred Transferred(string target, string mode, string step, string flow, double frustration, string requestedBy = "flow") =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), target, mode, step, flow, Finite(frustration), requestedBy);

    public EmotionDetected Emotion(TimeSpan start, TimeSpan end, EmotionEstimate emotion, int? turn = null, string? wordsVoice = null) =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), start.TotalSeconds, end.TotalSeconds, emotion.Label.ToString(),
            Finite(emotion.Confidence), Finite(emotion.Arousal), Finite(emotion.Valence), emotion.Source, TopScores(emotion.Scores), turn,
            Cues(emotion.Cues), wordsVoice);

    public VocalEventDetected VocalEvent(VocalEvent vocal, bool inSpeech, int? turn = null) =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), vocal.Kind.ToString(), vocal.Start.TotalSeconds,
            vocal.Duration.TotalSeconds, Finite(vocal.Confidence), inSpeech, turn, Cues(vocal.Cues));

    public FrustrationChanged Frustration(FrustrationChange change) =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), change.At.TotalSeconds, Finite(change.Score), Finite(change.Previous),
            change.LevelName, change.ThresholdCrossed,
            change.TopReasons.Select(r => new Analytics.Contracts.V1.FrustrationReason(r.CueName, Finite(r.Contribution), r.At.TotalSeconds, r.Detail)).ToList());

    public BargeInDetected BargeIn(TimeSpan at, int? turn = null) =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), at.TotalSeconds, turn);

    private static List<LabelScore> TopScores(IReadOnlyList<EmotionScore> scores) =>
        [.. scores.OrderByDescending(s => s.Score).Take(TopLabels).Select(s => new LabelScore(s.Label.ToString(), Finite(s.Score)))];

    // The strongest cues either way: what an analyst needs to see why, without the whole model.
    private static List<AcousticCue>? Cues(IReadOnlyList<CueContribution> cues) => cues.Count == 0 ? null
        : [.. cues.OrderByDescending(c => Math.Abs(c.Contribution)).Take(TopCues).Select(c => new AcousticCue(c.Cue, Finite(c.Value), Finite(c.Contribution)))];

    // JSON has no NaN: a misbehaving analyzer must not make an event unserialisable.
    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private long Next() => Interlocked.Increment(ref _sequence);
}
