using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// Watches for pauses inside the caller's open speech that are shorter than the detector's end-of-turn silence, so a
/// conversation can send its request early: the call's clock is woken when such a pause begins and again when speech
/// resumes after it. Every member runs under the call's lock (the owner takes it).
/// </summary>
internal sealed class SpeechPauseWatch(ISpeechDetector detector, ICallClock clock)
{
    private const int SampleRate = SpeechSegment.SampleRate;

    private long _watchSamples;
    private long _seenAt = -1;
    private long _speechStart = -1;

    /// <summary>Starts watching for pauses of at least <paramref name="pause"/>; zero or less stops watching.</summary>
    public void Watch(TimeSpan pause)
    {
        _watchSamples = pause > TimeSpan.Zero ? (long)(pause.TotalSeconds * SampleRate) : 0;
        _seenAt = -1;
    }

    /// <summary>The caller began to speak at <paramref name="sample"/> (the open speech a pause is inside).</summary>
    public void OnSpeechStarted(long sample) => _speechStart = sample;

    /// <summary>The pause the caller is in now, when speech is open and has been silent for the watched time; else null.</summary>
    public SpeechPause? Current()
    {
        var voicedEnd = detector.LastVoicedSampleEnd;
        if (_watchSamples <= 0 || !detector.InSpeech || _speechStart < 0 || voicedEnd < _speechStart
            || detector.ScoredSamples - voicedEnd < _watchSamples)
        {
            return null;
        }

        return new SpeechPause(TimeSpan.FromSeconds((double)_speechStart / SampleRate), TimeSpan.FromSeconds((double)voicedEnd / SampleRate));
    }

    /// <summary>Whether the caller spoke again after <paramref name="pause"/>.</summary>
    public bool SpokeAfter(SpeechPause pause) => TimeSpan.FromSeconds((double)detector.LastVoicedSampleEnd / SampleRate) > pause.VoicedEnd;

    /// <summary>After every scored frame: wakes the call's waiters when a watched pause begins or speech resumes.</summary>
    public void OnFrame()
    {
        if (_watchSamples <= 0)
        {
            return;
        }

        var voicedEnd = detector.LastVoicedSampleEnd;
        if (_seenAt >= 0 && voicedEnd > _seenAt)
        {
            _seenAt = -1;
            clock.Wake();
        }

        if (_seenAt < 0 && detector.InSpeech && voicedEnd >= 0 && detector.ScoredSamples - voicedEnd >= _watchSamples)
        {
            _seenAt = voicedEnd;
            clock.Wake();
        }
    }
}
