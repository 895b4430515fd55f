using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.CallEngine.Events;
using StepAudio.Telephony.Inference.Turns;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// What a conversation with a model needs from one call, and nothing more: the call's events as they happen, the
/// caller's audio of a turn, pauses inside the caller's speech, the latest end-of-turn latency, and a way to publish
/// its own <c>ConversationTurn</c> in the call's sequence. The <see cref="EngineCall"/> owns it
/// (<see cref="EngineCall.Conversation"/>) and shares its lock with it: state read here is read under that lock.
/// </summary>
public sealed class CallConversationHost
{
    private const int SampleRate = SpeechSegment.SampleRate;

    private readonly object _gate;
    private readonly CallAnalysis _analysis;
    private readonly SpeechPauseWatch _pauses;
    private readonly Action<Func<CallEventFactory, ICallEvent>> _publishWhileLive;

    internal CallConversationHost(object gate, CallAnalysis analysis, SpeechPauseWatch pauses, Action<Func<CallEventFactory, ICallEvent>> publishWhileLive)
    {
        _gate = gate;
        _analysis = analysis;
        _pauses = pauses;
        _publishWhileLive = publishWhileLive;
    }

    /// <summary>
    /// Every event of the call after it was handed on, raised under the call's lock: a handler must only take note
    /// (the conversation builds the caller's state from the same events analysts see).
    /// </summary>
    public event Action<ICallEvent>? Published;

    /// <summary>The caller's audio between two points of the caller's audio clock, 16 kHz (what the analysis still holds).</summary>
    public float[] CallerAudio(TimeSpan start, TimeSpan end)
    {
        lock (_gate)
        {
            return _analysis.CopyCallerAudio((long)(start.TotalSeconds * SampleRate), (long)(end.TotalSeconds * SampleRate));
        }
    }

    /// <summary>The latest end-of-turn latency (taken under the lock, so the turn that just ended has been measured).</summary>
    public TurnEndLatency? LastTurnLatency()
    {
        lock (_gate)
        {
            return _analysis.Turns.Last;
        }
    }

    /// <summary>
    /// Watch for pauses of at least <paramref name="pause"/> inside the caller's speech (shorter than the detector's
    /// end-of-turn silence): the call's clock is woken when one begins and again when speech resumes after it, so a
    /// conversation can send its request early (<see cref="CurrentPause"/>). Zero or less stops watching.
    /// </summary>
    public void WatchPauses(TimeSpan pause)
    {
        lock (_gate)
        {
            _pauses.Watch(pause);
        }
    }

    /// <summary>The pause the caller is in now, when speech is open and has been silent for the watched time; else null.</summary>
    public SpeechPause? CurrentPause()
    {
        lock (_gate)
        {
            return _pauses.Current();
        }
    }

    /// <summary>Whether the caller spoke again after <paramref name="pause"/> (the turn it began in was not over there).</summary>
    public bool SpokeAfter(SpeechPause pause)
    {
        lock (_gate)
        {
            return _pauses.SpokeAfter(pause);
        }
    }

    /// <summary>Publishes a <c>ConversationTurn</c> in the call's sequence (nothing once the call has ended).</summary>
    public void PublishTurn(Func<Guid, string, long, DateTimeOffset, ConversationTurn> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        _publishWhileLive(events => events.ConversationTurn(create));
    }

    /// <summary>Called by the call under its lock after each of its events was handed on.</summary>
    internal void OnPublished(ICallEvent callEvent) => Published?.Invoke(callEvent);
}
