using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary><c>webhook</c>: an HTTP call to the business's backend.</summary>
public sealed record WebhookStep : FlowStep
{
    /// <summary>Absolute http(s) URL; may hold templates.</summary>
    public required FlowTemplate Url { get; init; }

    /// <summary><c>GET</c> or <c>POST</c>.</summary>
    public string Method { get; init; } = "POST";

    /// <summary>Extra request headers (values may hold templates).</summary>
    public IReadOnlyDictionary<string, FlowTemplate> Headers { get; init; } = new Dictionary<string, FlowTemplate>();

    /// <summary>Extra body fields; null sends the default body only.</summary>
    public IReadOnlyDictionary<string, FlowValueSource>? Body { get; init; }

    /// <summary>Time allowed for each attempt.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Further attempts after a failure (transport error, timeout, 5xx, 429).</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Variable that receives the JSON answer (<c>vars.&lt;As&gt;</c>); null discards it.</summary>
    public string? As { get; init; }

    /// <summary>Step when the call fails; null uses <c>on_error</c>.</summary>
    public string? OnFailure { get; init; }

    /// <inheritdoc />
    public override string Verb => "webhook";
}
