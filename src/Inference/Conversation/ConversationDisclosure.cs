using StepAudio.Telephony.Inference.Recognition;
using StepAudio.Telephony.Inference.Synthesis;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>
/// What of a model turn's failure, a refused tool call or the model's stated reason may be written to traces and logs.
/// A server's error body, an exception's text, a tool name the model made up or the reason it gives can all repeat the
/// caller's words, so unless transcripts are on (<see cref="ConversationOptions.LogTranscripts"/>) only what the gateway
/// itself knows is written: HTTP status codes, its own time-outs and protocol checks, exception type names, and the
/// names of the tools it declared.
/// </summary>
public static class ConversationDisclosure
{
    /// <summary>A failure, described without any text that came from the server unless <paramref name="transcripts"/>.</summary>
    public static string Failure(Exception exception, bool transcripts)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            System.ClientModel.ClientResultException http when http.Status != 0 => $"HTTP {http.Status}",
            HttpRequestException { StatusCode: { } code } => $"HTTP {(int)code}",

            // Messages the gateway wrote itself from its own settings and checks, never from the server's answer.
            TimeoutException or ModelStreamException or SpeechRecognitionException or SpeechEndpointException => exception.Message,
            _ when transcripts => exception.GetType().Name + ": " + exception.Message,
            _ => exception.GetType().Name,
        };
    }

    /// <summary>Why a tool call was refused: the full reason, or only for a tool the gateway declared (an unknown name is the model's text).</summary>
    public static string RefusedTool(ReplyPart part, bool transcripts)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (transcripts || (part.ToolCall is { } call && ConversationTools.IsDeclaredName(call.Name)))
        {
            // A declared tool's refusal is built from the flow's own step names and the tool's rules.
            return part.Text ?? "refused";
        }

        return "a tool the gateway did not declare";
    }

    /// <summary>The reason the model gave for an action, or just the action's name.</summary>
    public static string Reason(ConversationAction action, bool transcripts)
    {
        ArgumentNullException.ThrowIfNull(action);
        return transcripts && action.Value is { Length: > 0 } reason ? reason : action.ToolName;
    }
}
