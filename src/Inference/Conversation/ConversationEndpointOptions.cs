using System.ComponentModel.DataAnnotations;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>One OpenAI-compatible model endpoint (<c>Conversation:Endpoints:N</c>), chat or Realtime; tried in the order configured.</summary>
public sealed class ConversationEndpointOptions
{
    /// <summary>The API root including <c>/v1</c>, for example <c>http://gpu-1:8000/v1</c> (vLLM) or <c>https://api.openai.com/v1</c>.</summary>
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>The served model name, as the server lists it under <c>/v1/models</c>.</summary>
    [Required]
    public string Model { get; set; } = string.Empty;

    /// <summary>Bearer key; vLLM without <c>--api-key</c> accepts any. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// <c>Chat</c> (<c>/v1/chat/completions</c>) or <c>Realtime</c> (the OpenAI Realtime API over a WebSocket at
    /// <c>BaseUrl</c> + <c>/realtime?model=Model</c>, <c>http</c> becoming <c>ws</c>; G.711 µ-law both ways).
    /// </summary>
    public ConversationApi Api { get; set; } = ConversationApi.Chat;

    /// <summary>The voice a Realtime endpoint speaks with (for example <c>marin</c>); empty for the server's default. Chat endpoints use the flow's voice and our synthesiser.</summary>
    public string? Voice { get; set; }

    /// <summary>Whether the turn goes to the model as audio or as the recognised words.</summary>
    public ConversationInputMode Input { get; set; } = ConversationInputMode.Audio;

    /// <summary>
    /// Whether the model's output opens inside its reasoning, without a <c>&lt;think&gt;</c> tag (chat templates that
    /// put the tag into the prompt); everything up to <c>&lt;/think&gt;</c> is then dropped. Servers that return the
    /// reasoning separately (vLLM's <c>--reasoning-parser</c>) need neither.
    /// </summary>
    public bool StartsInReasoning { get; set; }

    /// <summary>A name for logs, metrics and events: the configured name, else host and model. Never the key.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? $"{BaseUrl?.Host}/{Model}" : Name;

    /// <summary>Optional short name for logs and <c>ConversationTurn.endpoint</c>.</summary>
    public string? Name { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"{DisplayName} ({BaseUrl}, {Api}, input {Input})";
}
