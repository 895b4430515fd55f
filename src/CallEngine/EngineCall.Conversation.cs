using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallEngine.Conversation;
using StepAudio.Telephony.Inference.Recognition;
using StepAudio.Telephony.Inference.Turns;

namespace StepAudio.Telephony.CallEngine;

/// <summary>What a conversation with a model needs from the call: its events as they happen, the caller's audio and words of a turn, and its own event.</summary>
public sealed partial class EngineCall
{
    /// <summary>
    /// Every event of the call after it was handed on, raised under the call's lock: a handler must only take note
    /// (the conversation builds the caller's state from the same events analysts see).
    /// </summary>
    public event Action<ICallEvent>? Published;

    /// <summary>The clock the call's time and events run on.</summary>
    public TimeProvider Time => _time;

    /// <summary>The caller's audio between two points of the caller's audio clock, 16 kHz (what the analysis still holds).</summary>
    public float[] CallerAudio(TimeSpan start, TimeSpan end)
    {
        lock (_gate)
        {
            return Analysis.CopyCallerAudio((long)(start.TotalSeconds * SampleRate), (long)(end.TotalSeconds * SampleRate));
        }
    }

    /// <summary>The latest end-of-turn latency (taken under the lock, so the turn that just ended has been measured).</summary>
    public TurnEndLatency? LastTurnLatency()
    {
        lock (_gate)
        {
            return Analysis.Turns.Last;
        }
    }

    /// <summary>The words of caller turn <paramref name="turn"/> (null without a recogniser, or when none were heard).</summary>
    public Task<RecognitionResult?> WordsOf(int turn) => _words?.Of(turn) ?? Task.FromResult<RecognitionResult?>(null);

    /// <summary>
    /// Watch for pauses of at least <paramref name="pause"/> inside the caller's speech (shorter than the detector's
    /// end-of-turn silence): the clock is woken when one begins and again when speech resumes after it, so a
    /// conversation can send its request early (<see cref="CurrentPause"/>). Zero or less stops watching.
    /// </summary>
    public void WatchPauses(TimeSpan pause)
    {
        lock (_gate)
        {
            _pauseWatchSamples = pause > TimeSpan.Zero ? (long)(pause.TotalSeconds * SampleRate) : 0;
            _pauseSeenAt = -1;
        }
    }

    /// <summary>The pause the caller is in now, when speech is open and has been silent for the watched time; else null.</summary>
    public SpeechPause? CurrentPause()
    {
        lock (_gate)
        {
            var voicedEnd = _detector.LastVoicedSampleEnd;
            if (_pauseWatchSamples <= 0 || !_detector.InSpeech || _speechStartSample < 0 || voicedEnd < _speechStartSample
                || _detector.ScoredSamples - voicedEnd < _pauseWatchSamples)
            {
                return null;
            }

            return new SpeechPause(TimeSpan.FromSeconds((double)_speechStartSample / SampleRate), TimeSpan.FromSeconds((double)voicedEnd / SampleRate));
        }
    }

    /// <summary>Whether the caller spoke again after <paramref name="pause"/> (the turn it began in was not over there).</summary>
    public bool SpokeAfter(SpeechPause pause)
    {
        lock (_gate)
        {
            return TimeSpan.FromSeconds((double)_detector.LastVoicedSampleEnd / SampleRate) > pause.VoicedEnd;
        }
    }

    /// <summary>Publishes a <c>ConversationTurn</c> in the call's sequence.</summary>
    public void PublishConversationTurn(Func<Guid, string, long, DateTimeOffset, ConversationTurn> create)
    {
        lock (_gate)
        {
            if (!_ended)
            {
                Publish(_events.ConversationTurn(create));
            }
        }
    }

    // Called under the lock after every frame: wakes the call's waiters when a watched pause begins or speech resumes.
    private void WatchPause()
    {
        if (_pauseWatchSamples <= 0)
        {
            return;
        }

        var voicedEnd = _detector.LastVoicedSampleEnd;
        if (_pauseSeenAt >= 0 && voicedEnd > _pauseSeenAt)
        {
            _pauseSeenAt = -1;
            Clock.Wake();
        }

        if (_pauseSeenAt < 0 && _detector.InSpeech && voicedEnd >= 0 && _detector.ScoredSamples - voicedEnd >= _pauseWatchSamples)
        {
            _pauseSeenAt = voicedEnd;
            Clock.Wake();
        }
    }
}
