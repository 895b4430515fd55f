using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
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
}
