using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.CallEngine.Tests.Turns;

/// <summary>A speech detector whose decisions the test schedules: each takes effect with the next frame fed.</summary>
internal sealed class ScriptedDetector : ISpeechDetector
{
    private readonly Queue<Action<List<SpeechSegment>>> _next = new();
    private long _samples;

    public event EventHandler<SpeechStartedEventArgs>? SpeechStarted;

    public long LastVoicedSampleEnd => -1;

    public long ScoredSamples => _samples;

    public bool InSpeech { get; private set; }

    public long WindowsSkipped => 0;

    public long WindowsGated => 0;

    /// <summary>Speech starts at <paramref name="seconds"/> (announced, as Silero's first voiced window would).</summary>
    public void Start(double seconds) => _next.Enqueue(_ =>
    {
        InSpeech = true;
        SpeechStarted?.Invoke(this, new SpeechStartedEventArgs((long)(seconds * 16_000)));
    });

    /// <summary>The open speech closes as a segment.</summary>
    public void Close(double from, double to) => _next.Enqueue(completed =>
    {
        InSpeech = false;
        completed.Add(new SpeechSegment((long)(from * 16_000), (long)(to * 16_000)));
    });

    /// <summary>The open speech turns out too short and is dropped without a segment.</summary>
    public void Drop() => _next.Enqueue(_ => InSpeech = false);

    /// <summary>The rate this detector says it scores at; null: whatever rate the audio has.</summary>
    public int? ScoresAt { get; set; }

    public int ScoringRate(int sampleRate) => ScoresAt ?? sampleRate;

    public void Process(ReadOnlySpan<float> samples16k, List<SpeechSegment> completed) =>
        Process(samples16k, 16_000, completed);

    /// <summary>Each frame's length and rate, as the call gave them.</summary>
    public List<(int Samples, int SampleRate)> Frames { get; } = [];

    public void Process(ReadOnlySpan<float> samples, int sampleRate, List<SpeechSegment> completed)
    {
        Frames.Add((samples.Length, sampleRate));
        _samples += samples.Length * (16_000 / sampleRate); // positions are in 16 kHz samples at any rate
        if (_next.TryDequeue(out var action))
        {
            action(completed);
        }
    }

    public void Complete(List<SpeechSegment> completed)
    {
    }

    public void Dispose()
    {
    }
}
