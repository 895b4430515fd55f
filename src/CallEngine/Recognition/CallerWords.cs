using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Inference.Recognition;

namespace StepAudio.Telephony.CallEngine.Recognition;

/// <summary>
/// The words of a caller's turn from the configured recogniser. A recogniser that fails leaves the turn without words
/// (logged with the gateway's own message, never the server's text); the call goes on.
/// </summary>
public sealed partial class CallerWords(ISpeechRecognizer recognizer, ILogger logger)
{
    /// <summary>What the caller said in <paramref name="audio"/> (16 kHz); null when nothing, or when the recogniser failed or was cancelled.</summary>
    public async Task<RecognitionResult?> RecognizeAsync(string callId, float[] audio, CancellationToken cancellationToken)
    {
        try
        {
            var recognised = await recognizer.RecognizeAsync(audio, cancellationToken).ConfigureAwait(false);
            return recognised.Text.Length == 0 ? null : recognised;
        }
        catch (SpeechRecognitionException ex)
        {
            // The recogniser's messages are the gateway's own (status, time-out), never the server's text.
            LogRecognitionFailed(logger, callId, ex.Message);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null; // The call ended.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: speech recognition failed ({Reason}); the turn goes without words")]
    private static partial void LogRecognitionFailed(ILogger logger, string callId, string reason);
}
