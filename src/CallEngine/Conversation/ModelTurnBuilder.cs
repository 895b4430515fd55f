using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Recognition;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// What the model gets for one caller turn: the turn's audio (16 kHz), its words when a recogniser is configured, and
/// the caller's measured state (emotion and cues, frustration, vocal events, keys, interruptions).
/// </summary>
internal sealed partial class ModelTurnBuilder(EngineCall call, CallerStateTracker state, ConversationServices services)
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
        var audio = call.CallerAudio(TimeSpan.FromSeconds(segment.StartSeconds), TimeSpan.FromSeconds(segment.EndSeconds));
        var words = await RecognizeAsync(audio, cancellationToken).ConfigureAwait(false);
        return new ModelTurnInput(audio, words, state.Build(turn, segment, keys, interruptedLast, interruptions, words));
    }

    private async Task<string?> RecognizeAsync(float[] audio, CancellationToken cancellationToken)
    {
        if (services.Recognizer is not { } recognizer)
        {
            return null;
        }

        try
        {
            var recognised = await recognizer.RecognizeAsync(audio, cancellationToken).ConfigureAwait(false);
            return recognised.Text.Length == 0 ? null : recognised.Text;
        }
        catch (SpeechRecognitionException ex)
        {
            // The recogniser's messages are the gateway's own (status, time-out), never the server's text.
            LogRecognitionFailed(services.Logger, call.CallId, ex.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: speech recognition failed ({Reason}); the turn goes without words")]
    private static partial void LogRecognitionFailed(ILogger logger, string callId, string reason);
}
