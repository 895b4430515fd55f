using System.Text;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.CallEngine.Turns;

/// <summary>
/// The caller's turns as they close and as their analyses come back: keys pressed since the previous turn, the
/// emotion of the turn's speech, vocal sounds heard up to its end, and how many of its analyses are still running.
/// Keeps only the latest turns (a call's memory must not grow with its length). Used under the call's lock.
/// </summary>
internal sealed class TurnLedger(bool analysed)
{
    private const int Kept = 16;

    private readonly Dictionary<int, Entry> _turns = [];
    private readonly StringBuilder _keys = new();
    private int _closed;

    /// <summary>The number the turn in progress will get when it closes.</summary>
    public int Open => _closed + 1;

    /// <summary>The latest closed turn's number, or 0 before any.</summary>
    public int Latest => _closed;

    /// <summary>A key pressed: it belongs to the turn in progress.</summary>
    public void OnKey(char digit) => _keys.Append(digit);

    /// <summary>A speech segment closed: the turn in progress ends with it.</summary>
    public int Close(SpeechSegment segment)
    {
        var entry = Get(++_closed);
        entry.Start = segment.Start;
        entry.End = segment.End;
        entry.Keys = _keys.ToString();
        entry.Closed = true;
        _keys.Clear();
        _turns.Remove(_closed - Kept);
        return _closed;
    }

    /// <summary>An analysis of audio belonging to <paramref name="turn"/> was queued.</summary>
    public void OnQueued(int turn) => Get(turn).Pending++;

    /// <summary>An analysis of <paramref name="turn"/> ended (<paramref name="result"/> null when it failed).</summary>
    public void OnAnalysed(int turn, bool isSpeech, SegmentAnalysis? result)
    {
        if (!_turns.TryGetValue(turn, out var entry))
        {
            return; // long forgotten
        }

        entry.Pending--;
        if (result is null)
        {
            return;
        }

        if (isSpeech)
        {
            var emotion = result.Emotion;
            var top = emotion.Scores.OrderByDescending(s => s.Score).Take(3)
                .Select(s => new KeyValuePair<string, double>(s.Label.ToString(), Finite(s.Score))).ToList();
            var cues = emotion.Cues.OrderByDescending(c => Math.Abs(c.Contribution)).Take(3)
                .Select(c => new KeyValuePair<string, double>(c.Cue, Finite(c.Contribution))).ToList();
            entry.Emotion = new TurnEmotion(emotion.Label.ToString(), Finite(emotion.Confidence), Finite(emotion.Arousal), Finite(emotion.Valence), top, cues);
        }

        foreach (var vocal in result.VocalEvents)
        {
            entry.Vocal.Add(new TurnVocalEvent(SnakeCase(vocal.Kind.ToString()), vocal.Start, vocal.Duration, Finite(vocal.Confidence)));
        }
    }

    /// <summary>Whether every analysis of audio up to the end of <paramref name="turn"/> has come back.</summary>
    public bool IsSettled(int turn)
    {
        foreach (var (number, entry) in _turns)
        {
            if (number <= turn && entry.Pending > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The record of closed turn <paramref name="turn"/> as it stands; null when unknown or forgotten.</summary>
    public CallerTurn? Snapshot(int turn)
    {
        if (!_turns.TryGetValue(turn, out var entry) || !entry.Closed)
        {
            return null;
        }

        var state = entry.Emotion is not null ? TurnAnalysis.Done
            : analysed && !IsSettled(turn) ? TurnAnalysis.NotReady
            : TurnAnalysis.Unavailable;
        return new CallerTurn(turn, entry.Start, entry.End, entry.Keys, state, entry.Emotion, [.. entry.Vocal]);
    }

    /// <summary>What a flow reads as <c>emotion</c>: the latest turn's, <c>unknown</c> while it is being analysed.</summary>
    public string EmotionName()
    {
        if (_closed == 0 || !analysed)
        {
            return "neutral";
        }

        return Snapshot(_closed)?.EmotionName ?? TurnEmotion.Unknown;
    }

    /// <summary>Flows name sounds in snake case (throat_clear); the analysis enum is PascalCase (ThroatClear).</summary>
    internal static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    private Entry Get(int turn)
    {
        if (!_turns.TryGetValue(turn, out var entry))
        {
            entry = new Entry();
            _turns[turn] = entry;
        }

        return entry;
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private sealed class Entry
    {
        public TimeSpan Start { get; set; }

        public TimeSpan End { get; set; }

        public string Keys { get; set; } = string.Empty;

        public bool Closed { get; set; }

        public int Pending { get; set; }

        public TurnEmotion? Emotion { get; set; }

        public List<TurnVocalEvent> Vocal { get; } = [];
    }
}
