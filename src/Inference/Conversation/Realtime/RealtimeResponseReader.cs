using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace StepAudio.Telephony.Inference.Conversation.Realtime;

/// <summary>
/// Reads the server events of one response into the same updates a chat stream gives, so the reply goes through the
/// same pump, timers, tool mapping and playback as a chat reply: audio deltas become µ-law <see cref="DataContent"/>
/// (coalesced while more is already waiting, so playback gets few larger pieces), each carrying the transcript that
/// came with it (what the caller hears, for the history), <c>response.function_call_arguments.done</c> becomes a
/// <see cref="FunctionCallContent"/>, and <c>response.done</c> the finish reason. Events of an earlier, cancelled
/// response are skipped. Nothing read from the server goes into an exception message (<see cref="ConversationDisclosure"/>)
/// except protocol codes that pass a strict pattern.
/// </summary>
internal sealed partial class RealtimeResponseReader(RealtimeConnection connection, int ordinal)
{
    /// <summary>The key under which an audio piece carries its transcript.</summary>
    public const string WordsKey = "stepaudio.words";

    /// <summary>Flush audio at this size even while more is waiting (1 s of µ-law).</summary>
    private const int MaxPieceBytes = 8000;

    private readonly List<byte> _audio = [];
    private readonly StringBuilder _words = new();
    private string? _responseId;

    /// <summary>The assistant audio item of this response (what a truncation names).</summary>
    public string? AudioItemId { get; private set; }

    /// <summary>The function calls of this response.</summary>
    public List<string> CallIds { get; } = [];

    /// <summary>Whether <c>response.done</c> arrived.</summary>
    public bool Done { get; private set; }

    /// <summary>Whether the server created this response (<c>response.created</c>).</summary>
    public bool Created => _responseId is not null;

    /// <summary>The updates of the response, ending after <c>response.done</c>.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = connection.Events.Reader;
        while (!Done)
        {
            if (!await events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                connection.Broken = true;
                throw new ModelStreamException("the realtime connection closed before the response was done");
            }

            while (!Done && events.TryRead(out var serverEvent))
            {
                if (Read(serverEvent) is { } update)
                {
                    yield return update;
                }

                if (_audio.Count > 0 && (_audio.Count >= MaxPieceBytes || !events.TryPeek(out _)))
                {
                    yield return AudioPiece();
                }
            }
        }

        if (_audio.Count > 0)
        {
            yield return AudioPiece();
        }

        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = CallIds.Count > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop };
    }

    private ChatResponseUpdate? Read(JsonObject? serverEvent)
    {
        if (serverEvent is null)
        {
            connection.Broken = true;
            throw new ModelStreamException("the realtime server sent an event that is not a JSON object with a type");
        }

        var type = Text(serverEvent, "type");
        if (type == "error")
        {
            if (connection.IsAboutBestEffort(serverEvent))
            {
                return null; // A cancel or truncation the server no longer needed.
            }

            // Which of our events the server still acts on is no longer known: the next turn opens a new session.
            connection.Broken = true;
            var error = serverEvent["error"] as JsonObject;
            throw new ModelStreamException($"the realtime server sent an error ({Code(error, "type")}, {Code(error, "code")})");
        }

        if (type == "response.created")
        {
            connection.ResponsesSeen++;
            if (connection.ResponsesSeen == ordinal)
            {
                _responseId = Text(serverEvent["response"] as JsonObject, "id") ?? string.Empty;
            }

            return null;
        }

        if (_responseId is null || !type!.StartsWith("response.", StringComparison.Ordinal))
        {
            return null; // Session and item acknowledgements, or the tail of a response cancelled earlier.
        }

        var responseId = type == "response.done" ? Text(serverEvent["response"] as JsonObject, "id") : Text(serverEvent, "response_id");
        if (responseId is not null && responseId != _responseId)
        {
            return null;
        }

        switch (type)
        {
            // GA names first; the beta interface's names are read too (servers that still speak it).
            case "response.output_audio.delta" or "response.audio.delta":
                AudioItemId ??= Text(serverEvent, "item_id");
                try
                {
                    _audio.AddRange(Convert.FromBase64String(Text(serverEvent, "delta") ?? string.Empty));
                }
                catch (FormatException ex)
                {
                    connection.Broken = true;
                    throw new ModelStreamException("the realtime server sent audio that is not base64", ex);
                }

                return null;
            case "response.output_audio_transcript.delta" or "response.audio_transcript.delta":
                _words.Append(Text(serverEvent, "delta"));
                return null;
            case "response.function_call_arguments.done":
                var callId = Text(serverEvent, "call_id") ?? Text(serverEvent, "item_id") ?? "call";
                CallIds.Add(callId);
                var call = FunctionCallContent.CreateFromParsedArguments(
                    Text(serverEvent, "arguments") ?? string.Empty, callId, Text(serverEvent, "name") ?? string.Empty,
                    static json => JsonSerializer.Deserialize<Dictionary<string, object?>>(json));
                var pieces = new List<AIContent>();
                if (_audio.Count > 0)
                {
                    pieces.AddRange(AudioPiece().Contents);
                }

                pieces.Add(call);
                return new ChatResponseUpdate(ChatRole.Assistant, pieces);
            case "response.done":
                Done = true;
                var status = Text(serverEvent["response"] as JsonObject, "status");
                if (status is "failed")
                {
                    connection.Broken = true;
                    throw new ModelStreamException($"the realtime response failed ({Code((serverEvent["response"] as JsonObject)?["status_details"]?["error"] as JsonObject, "code")})");
                }

                return null;
            default:
                return null;
        }
    }

    private ChatResponseUpdate AudioPiece()
    {
        var data = new DataContent(_audio.ToArray(), RealtimeAudio.MediaType);
        _audio.Clear();
        if (_words.Length > 0)
        {
            data.AdditionalProperties = new AdditionalPropertiesDictionary { [WordsKey] = _words.ToString() };
            _words.Clear();
        }

        return new ChatResponseUpdate(ChatRole.Assistant, [data]);
    }

    private static string? Text(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    /// <summary>A protocol code from the server, only when it looks like one (it could otherwise repeat the caller's words).</summary>
    private static string Code(JsonObject? json, string name) =>
        Text(json, name) is { } code && ProtocolCode().IsMatch(code) ? code : "-";

    [GeneratedRegex("^[a-z0-9_.]{1,64}$")]
    private static partial Regex ProtocolCode();
}
