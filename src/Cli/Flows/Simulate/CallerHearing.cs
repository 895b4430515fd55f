using System.Text;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Turns;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// The gateway's analysis of one caller, run in line on the virtual clock: Silero VAD, segment analysis (emotion,
/// vocal events) and the frustration tracker, driven as SipGateway's CallAnalysis drives them. Analyses run
/// synchronously when a span closes, so a simulation gives the same events every time.
/// </summary>
internal sealed class CallerHearing
{
    private const int SampleRate = SpeechSegment.SampleRate;

    private readonly float[] _audio;
    private readonly SpeechDetector _vad;
    private readonly ISegmentAnalyzer _analyzer;
    private readonly SimulationEvents _events;
    private readonly SpeakerBaseline _speaker = new();
    private readonly NonSpeechSpanFinder _spans = new(new NonSpeechSpanOptions());
    private readonly List<SpeechSegment> _segments = [];
    private readonly List<NonSpeechSpan> _closedSpans = [];
    private readonly List<(string Kind, TimeSpan At)> _vocal = [];
    private readonly Dictionary<string, int> _vocalTotals = new(StringComparer.Ordinal);
    private long _written;
    private long _nextTick = SampleRate;
    private long _lastVoiced = -1;

    public CallerHearing(float[] audio16k, SpeechDetector vad, ISegmentAnalyzer analyzer, FrustrationOptions frustration, SimulationEvents events)
    {
        _audio = audio16k;
        _vad = vad;
        _analyzer = analyzer;
        _events = events;
        Frustration = new FrustrationTracker(frustration);
        _vad.SpeechStarted += (_, e) => SpeechStarted?.Invoke(TimeSpan.FromSeconds((double)e.SpeechStartSample / SampleRate));
    }

    /// <summary>The VAD heard the caller start to speak, at the given call time.</summary>
    public event Action<TimeSpan>? SpeechStarted;

    /// <summary>A speech segment closed (start, end).</summary>
    public event Action<TimeSpan, TimeSpan>? SpeechEnded;

    public FrustrationTracker Frustration { get; }

    public string Emotion { get; private set; } = "neutral";

    public bool InSpeech => _vad.InSpeech;

    public double SpeechSeconds { get; private set; }

    public int BargeIns { get; private set; }

    public int SpeechSegments { get; private set; }

    public TimeSpan LastVoiced => _lastVoiced < 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)_lastVoiced / SampleRate);

    public bool AudioEnded => _written >= _audio.Length;

    public IReadOnlyDictionary<string, int> VocalTotals => _vocalTotals;

    private TimeSpan Now => TimeSpan.FromSeconds((double)_written / SampleRate);

    /// <summary>Feeds the next <paramref name="frame"/>.Length samples of the WAV (silence once it has ended).</summary>
    public void Feed(Span<float> frame)
    {
        frame.Clear();
        if (_written < _audio.Length)
        {
            var available = (int)Math.Min(frame.Length, _audio.Length - _written);
            _audio.AsSpan((int)_written, available).CopyTo(frame);
        }

        _written += frame.Length;
        _segments.Clear();
        _vad.Process(frame, _segments);
        _lastVoiced = _vad.LastVoicedSampleEnd;

        foreach (var segment in _segments)
        {
            OnSegment(segment);
        }

        _closedSpans.Clear();
        _spans.Process(frame, _vad.InSpeech, _closedSpans);
        foreach (var span in _closedSpans)
        {
            Analyse(span.StartSample, span.EndSample, isSpeech: false);
        }

        if (_written >= _nextTick)
        {
            // Once per second of audio, as the gateway does: decay and silence after a prompt.
            _nextTick += SampleRate;
            Report(Frustration.Tick(Now));
        }
    }

    /// <summary>The call ended: closes an open segment and span.</summary>
    public void Complete()
    {
        _segments.Clear();
        _vad.Complete(_segments);
        foreach (var segment in _segments)
        {
            OnSegment(segment);
        }

        _closedSpans.Clear();
        _spans.Complete(_closedSpans);
        foreach (var span in _closedSpans)
        {
            Analyse(span.StartSample, span.EndSample, isSpeech: false);
        }
    }

    public void OnSpeechStarted(TimeSpan at, bool promptPlaying)
    {
        if (!promptPlaying)
        {
            Report(Frustration.OnSpeechStarted(at));
            return;
        }

        BargeIns++;
        _events.BargeIn(at);
        Report(Frustration.OnBargeIn(at));
    }

    public void OnDtmf(char digit, TimeSpan at) => Report(Frustration.OnDtmf(digit, at));

    public void OnPromptStarted(string promptId, TimeSpan at) => Report(Frustration.OnPromptStarted(promptId, at));

    public void OnPromptFinished(TimeSpan at)
    {
        if (!_vad.InSpeech)
        {
            Report(Frustration.OnPromptFinished(at));
        }
    }

    public int VocalEventCount(string kind, TimeSpan since) => _vocal.Count(v => v.Kind == kind && v.At >= since);

    private void OnSegment(SpeechSegment segment)
    {
        SpeechSeconds += segment.Duration.TotalSeconds;
        SpeechSegments++;
        _events.Segment(Now, segment.Start, segment.End);
        SpeechEnded?.Invoke(segment.Start, segment.End);
        Analyse(segment.StartSample, segment.EndSample, isSpeech: true);
    }

    private void Analyse(long start, long end, bool isSpeech)
    {
        var from = (int)Math.Clamp(start, 0, _audio.Length);
        var to = (int)Math.Clamp(end, from, _audio.Length);
        var startTime = TimeSpan.FromSeconds((double)start / SampleRate);
        var analysis = _analyzer.Analyze(_audio.AsSpan(from, to - from), startTime, isSpeech, _speaker);
        if (isSpeech)
        {
            Emotion = analysis.Emotion.Label.ToString().ToLowerInvariant();
            _events.Emotion(Now, startTime, analysis);
        }

        foreach (var vocal in analysis.VocalEvents)
        {
            var kind = SnakeCase(vocal.Kind.ToString());
            _vocal.Add((kind, vocal.Start));
            _vocalTotals[vocal.Kind.ToString()] = _vocalTotals.GetValueOrDefault(vocal.Kind.ToString()) + 1;
            _events.Vocal(Now, vocal, isSpeech);
        }

        Report(Frustration.OnSegment(analysis));
    }

    private void Report(FrustrationChange? change)
    {
        if (change is not null)
        {
            _events.Frustration(change);
        }
    }

    // Flows name sounds in snake case (throat_clear); the analysis enum is PascalCase (ThroatClear).
    private static string SnakeCase(string name)
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
}
