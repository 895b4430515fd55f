using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.Inference.Conversation;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// What the model gets for one caller turn: the turn's audio (16 kHz), its words when a recogniser is configured, and
/// the caller's measured state (emotion and cues, frustration, vocal events, keys, interruptions).
/// </summary>
internal sealed class ModelTurnBuilder(EngineCall call, CallerStateTracker state, ConversationServices services)
{
    /// <summary>Builds the turn decided by <paramref name="decided"/>.</summary>
    public async Task<ModelTurnInput> BuildAsync(int turn, CallerInput decided, bool interruptedLast, int interruptions, CancellationToken cancellationToken)
    {
        var keys = state.TakeKeys();
        if (decided.Kind != CallerInputKind.SpeechEnded || state.LatestSegment() is not { } segment)
        {
            return new ModelTurnInput(ReadOnlyMemory<float>.Empty, null, state.Build(turn, null, keys, interruptedLast, interruptions, null));
        }

        // This turn's emotion, not the previous one's: wait for its analysis a little, then go without it.
        await call.Clock.WaitAsync(() => state.HasEmotion(segment), services.Options.AnalysisWait, cancellationToken).ConfigureAwait(false);
        var (start, end) = (TimeSpan.FromSeconds(segment.StartSeconds), TimeSpan.FromSeconds(segment.EndSeconds));
        var audio = call.Conversation.CallerAudio(start, end);
        var words = decided.Turn is { } decidedTurn ? (await call.WordsOf(decidedTurn.Number).WaitAsync(cancellationToken).ConfigureAwait(false))?.Text : null;
        return new ModelTurnInput(audio, words, state.Build(turn, segment, keys, interruptedLast, interruptions, words));
    }

    /// <summary>Builds turn <paramref name="turn"/> from the speech so far, at a short pause (its words and emotion are not known yet).</summary>
    public ModelTurnInput BuildEarly(int turn, SpeechPause pause, bool interruptedLast, int interruptions)
    {
        var audio = call.Conversation.CallerAudio(pause.SpeechStart, pause.VoicedEnd);
        return new ModelTurnInput(audio, null, state.Preview(turn, pause.VoicedEnd - pause.SpeechStart, interruptedLast, interruptions));
    }
}
