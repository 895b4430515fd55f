using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.CallEngine.Tests.Analysis;

/// <summary>An analyzer whose answer the test chooses, and which can be held inside <see cref="Analyze"/>.</summary>
internal sealed class ScriptedAnalyzer(EmotionEstimate emotion, params VocalEventKind[] vocalEvents) : ISegmentAnalyzer
{
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private readonly SemaphoreSlim _entered = new(0);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Makes the next calls wait inside <see cref="Analyze"/> until <see cref="Release"/>.</summary>
    public void Hold() => _open.Reset();

    public void Release() => _open.Set();

    /// <summary>Waits until a call has entered <see cref="Analyze"/>.</summary>
    public bool WaitEntered() => _entered.Wait(TimeSpan.FromSeconds(60)); // generous: the workers run at a lower priority (Analysis:WorkerNice)

    public SegmentAnalysis Analyze(ReadOnlySpan<float> pcm16k, TimeSpan start, bool isSpeech, Inference.Paralinguistics.Emotion.SpeakerBaseline? speaker = null)
    {
        Interlocked.Increment(ref _calls);
        var duration = TimeSpan.FromSeconds(pcm16k.Length / 16_000.0);
        _entered.Release();
        _open.Wait(TimeSpan.FromSeconds(60)); // a held test releases it; generous so a stalled machine cannot release it early
        var features = new AcousticFeatures(duration.TotalSeconds, 0.5, 150, 1, 3, 0, -30, 5, -24, 0, 10, 0.2, -6, 4, 0, 0, 3, 0);
        var events = vocalEvents.Select(k => new VocalEvent(k, start, TimeSpan.FromSeconds(0.8), 0.9)).ToList();
        return new SegmentAnalysis(start, duration, isSpeech, features, emotion, events);
    }
}
