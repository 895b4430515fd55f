using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace StepAudio.Telephony.Inference.Conversation.Realtime;

/// <summary>
/// The client events the gateway sends, shaped as the Realtime API reference documents them (GA interface):
/// <c>session.update</c>, <c>conversation.item.create</c>, <c>response.create</c>, <c>response.cancel</c> and
/// <c>conversation.item.truncate</c>.
/// </summary>
internal static class RealtimeClientEvents
{
    /// <summary>
    /// The session: instructions, the tools, µ-law both ways, audio out only, and no server turn detection
    /// (<c>turn_detection: null</c>): the gateway decides turns itself, with the detector that tells a cough or a
    /// "mm-hm" from a real interruption, and asks for each response with <c>response.create</c>.
    /// </summary>
    public static JsonObject SessionUpdate(string model, string instructions, ChatOptions options, string? voice)
    {
        var output = new JsonObject { ["format"] = new JsonObject { ["type"] = RealtimeAudio.FormatType } };
        if (!string.IsNullOrWhiteSpace(voice))
        {
            output["voice"] = voice;
        }

        var tools = new JsonArray();
        foreach (var tool in options.Tools ?? [])
        {
            if (tool is AIFunctionDeclaration function)
            {
                tools.Add(new JsonObject
                {
                    ["type"] = "function",
                    ["name"] = function.Name,
                    ["description"] = function.Description,
                    ["parameters"] = JsonNode.Parse(function.JsonSchema.GetRawText()),
                });
            }
        }

        var session = new JsonObject
        {
            ["type"] = "realtime",
            ["model"] = model,
            ["instructions"] = instructions,
            ["output_modalities"] = new JsonArray("audio"),
            ["audio"] = new JsonObject
            {
                ["input"] = new JsonObject { ["format"] = new JsonObject { ["type"] = RealtimeAudio.FormatType }, ["turn_detection"] = null },
                ["output"] = output,
            },
            ["tools"] = tools,
            ["tool_choice"] = tools.Count > 0 ? "auto" : "none",
        };
        if (options.MaxOutputTokens is { } max)
        {
            session["max_output_tokens"] = max;
        }

        return new JsonObject { ["type"] = "session.update", ["session"] = session };
    }

    /// <summary>
    /// A message item from a chat message: the caller's turn (its state block as <c>input_text</c>, its audio as
    /// <c>input_audio</c> in µ-law) or, when a session is (re)opened, an earlier line of the conversation as text.
    /// Null when the message has nothing a Realtime item can carry (tool calls and results).
    /// </summary>
    public static JsonObject? Message(ChatMessage message, bool withAudio)
    {
        var user = message.Role == ChatRole.User;
        if (!user && message.Role != ChatRole.Assistant)
        {
            return null;
        }

        var content = new JsonArray();
        foreach (var part in message.Contents)
        {
            if (part is TextContent { Text.Length: > 0 } text)
            {
                content.Add(new JsonObject { ["type"] = user ? "input_text" : "output_text", ["text"] = text.Text });
            }
            else if (user && withAudio && part is DataContent data && data.HasTopLevelMediaType("audio"))
            {
                content.Add(new JsonObject { ["type"] = "input_audio", ["audio"] = Convert.ToBase64String(RealtimeAudio.WavToMuLaw(data.Data.Span)) });
            }
        }

        if (content.Count == 0)
        {
            return null;
        }

        return new JsonObject
        {
            ["type"] = "conversation.item.create",
            ["item"] = new JsonObject { ["type"] = "message", ["role"] = user ? "user" : "assistant", ["content"] = content },
        };
    }

    /// <summary>Asks for a response (audio out, as the session says).</summary>
    public static JsonObject CreateResponse() => new() { ["type"] = "response.create" };

    /// <summary>Stops the response in progress (the caller interrupted it, or the gateway gave up on it).</summary>
    public static JsonObject CancelResponse() => new() { ["type"] = "response.cancel" };

    /// <summary>Cuts the assistant's audio item to what the caller heard; the server drops the transcript beyond it too.</summary>
    public static JsonObject Truncate(string itemId, int audioEndMs) => new()
    {
        ["type"] = "conversation.item.truncate",
        ["item_id"] = itemId,
        ["content_index"] = 0,
        ["audio_end_ms"] = audioEndMs,
    };

    /// <summary>The result of a function call, as the chat backend gives it: <c>done</c> or the reason it was refused.</summary>
    public static JsonObject FunctionOutput(string callId, string output) => new()
    {
        ["type"] = "conversation.item.create",
        ["item"] = new JsonObject { ["type"] = "function_call_output", ["call_id"] = callId, ["output"] = output },
    };

    /// <summary>The serialised event, with the id that lets an <c>error</c> name it.</summary>
    public static byte[] Serialize(JsonObject clientEvent, string eventId)
    {
        clientEvent["event_id"] = eventId;
        return JsonSerializer.SerializeToUtf8Bytes(clientEvent);
    }
}
