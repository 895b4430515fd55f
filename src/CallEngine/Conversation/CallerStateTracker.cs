using System.Globalization;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallEngine.Turns;
using StepAudio.Telephony.Inference.Conversation.CallerState;
using StepAudio.Telephony.Inference.Sentiment;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// Builds the caller's state for each turn from the call's own events (the same ones analysts receive), so what the
/// model is told about the caller is exactly what was measured and published: the segment's emotion, vocal sounds in
/// it, the frustration score with its reasons, keys pressed. Fed under the call's lock; read by the conversation.
/// </summary>
internal sealed class CallerStateTracker
{
    private readonly Lock _gate = new();
    private readonly List<EmotionDetected> _emotions = [];
    private readonly List<VocalEventDetected> _vocal = [];
    private readonly List<SpeechSegmentDetected> _segments = [];
    private readonly System.Text.StringBuilder _keys = new();
    private FrustrationChanged? _frustration;
    private double _frustrationAtLastTurn;

    /// <summary>Takes note of one event of the call.</summary>
    public void Observe(ICallEvent callEvent)
    {
        lock (_gate)
        {
            switch (callEvent)
            {
                case EmotionDetected emotion:
                    Keep(_emotions, emotion);
                    break;
                case VocalEventDetected vocal:
                    Keep(_vocal, vocal);
                    break;
                case SpeechSegmentDetected segment:
                    Keep(_segments, segment);
                    break;
                case FrustrationChanged frustration:
                    _frustration = frustration;
                    break;
                case DtmfReceived key:
                    _keys.Append(key.Digit);
                    break;
            }
        }
    }

    /// <summary>The latest speech segment (caller audio clock), or null.</summary>
    public SpeechSegmentDetected? LatestSegment()
    {
        lock (_gate)
        {
            return _segments.Count == 0 ? null : _segments[^1];
        }
    }

    /// <summary>Whether the segment's emotion has been published.</summary>
    public bool HasEmotion(SpeechSegmentDetected segment)
    {
        lock (_gate)
        {
            return FindEmotion(segment) is not null;
        }
    }

    /// <summary>Keys pressed since the last call (they belong to the coming turn).</summary>
    public string TakeKeys()
    {
        lock (_gate)
        {
            var keys = _keys.ToString();
            _keys.Clear();
            return keys;
        }
    }

    /// <summary>The state for turn <paramref name="turn"/> spoken in <paramref name="segment"/> (null for keys only).</summary>
    public CallerTurnContext Build(int turn, SpeechSegmentDetected? segment, string keys, bool interruptedReply, int interruptions, string? words) =>
        Compose(turn, segment, TimeSpan.FromSeconds(segment?.DurationSeconds ?? 0), keys, interruptedReply, interruptions, words, commit: true);

    /// <summary>
    /// The state for turn <paramref name="turn"/> while the caller is still speaking (a request sent at a short pause):
    /// this turn's emotion is not measured yet, keys stay for the turn's final state, and the frustration trend is not
    /// moved on.
    /// </summary>
    public CallerTurnContext Preview(int turn, TimeSpan spoken, bool interruptedReply, int interruptions)
    {
        string keys;
        lock (_gate)
        {
            keys = _keys.ToString();
        }

        return Compose(turn, null, spoken, keys, interruptedReply, interruptions, null, commit: false);
    }

    private CallerTurnContext Compose(int turn, SpeechSegmentDetected? segment, TimeSpan spoken, string keys, bool interruptedReply, int interruptions, string? words, bool commit)
    {
        lock (_gate)
        {
            var emotion = segment is null ? null : FindEmotion(segment);
            var vocal = segment is null ? [] : _vocal
                .Where(v => v.StartSeconds >= segment.StartSeconds - 0.5 && v.StartSeconds <= segment.EndSeconds + 0.5)
                .Select(v => new CallerVocalEvent(TurnLedger.SnakeCase(v.Kind), TimeSpan.FromSeconds(Math.Max(0, v.StartSeconds - segment.StartSeconds)), v.Confidence))
                .ToList();
            var score = _frustration?.Score ?? 0;
            var previous = _frustrationAtLastTurn;
            if (commit)
            {
                _frustrationAtLastTurn = score;
            }

            var valence = emotion?.Valence ?? 0;
            return new CallerTurnContext(
                turn,
                spoken,
                emotion is null ? "unknown" : emotion.Label.ToLowerInvariant(),
                emotion?.Confidence ?? 0,
                emotion?.Arousal ?? 0,
                valence,
                EmotionCues(emotion),
                score,
                previous,
                _frustration?.Level ?? "calm",
                _frustration is null ? [] : [.. _frustration.TopReasons.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Cue} {r.Detail} +{r.Contribution:0.00}"))],
                vocal,
                interruptedReply,
                interruptions,
                keys,
                emotion is null ? null : WordsVoiceAgreement.Compare(TextValenceLexicon.Score(words), valence));
        }
    }

    // The measures behind a trained model's label when it gave them (what the caller's voice did), else the label scores.
    private static List<string> EmotionCues(EmotionDetected? emotion) => emotion switch
    {
        null => [],
        { Cues: { Count: > 0 } cues } => [.. cues.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Cue} {c.Value:0.##} ({(c.Contribution >= 0 ? "+" : "")}{c.Contribution:0.00} towards {emotion.Label.ToLowerInvariant()})"))],
        _ => [.. emotion.TopScores.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Label.ToLowerInvariant()} {s.Score:0.00}"))],
    };

    private EmotionDetected? FindEmotion(SpeechSegmentDetected segment) =>
        _emotions.LastOrDefault(e => Math.Abs(e.StartSeconds - segment.StartSeconds) < 0.05 && Math.Abs(e.EndSeconds - segment.EndSeconds) < 0.05);

    private static void Keep<T>(List<T> list, T item)
    {
        // A long call keeps its recent history only: turns look back a few seconds at most.
        if (list.Count >= 256)
        {
            list.RemoveRange(0, 128);
        }

        list.Add(item);
    }
}
