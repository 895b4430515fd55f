using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Inference.Recognition;

namespace StepAudio.Telephony.CallEngine.Recognition;

/// <summary>
/// The words of a caller's turn from the configured recogniser, for <c>gather</c> with speech and for the model's
/// turns alike. A recogniser that fails leaves the turn without words (logged with the gateway's own message, never
/// the server's text); the call goes on.
/// </summary>
public sealed partial class CallerWords(ISpeechRecognizer recognizer, ILogger logger)
{
    /// <summary>What the caller said in <paramref name="start"/>–<paramref name="end"/> of <paramref name="call"/>'s audio; null when nothing or when the recogniser failed.</summary>
    public async Task<RecognitionResult?> RecognizeAsync(EngineCall call, TimeSpan start, TimeSpan end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var audio = call.CallerAudio(start, end);
        try
        {
            var recognised = await recognizer.RecognizeAsync(audio, cancellationToken).ConfigureAwait(false);
            return recognised.Text.Length == 0 ? null : recognised;
        }
        catch (SpeechRecognitionException ex)
        {
            // The recogniser's messages are the gateway's own (status, time-out), never the server's text.
            LogRecognitionFailed(logger, call.CallId, ex.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: speech recognition failed ({Reason}); the turn goes without words")]
    private static partial void LogRecognitionFailed(ILogger logger, string callId, string reason);
}
