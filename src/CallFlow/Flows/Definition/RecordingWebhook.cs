using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>The <c>webhook</c> of a <c>record</c> step: where a recorded message goes once the caller finished it.</summary>
public sealed record RecordingWebhook
{
    /// <summary>The http(s) URL; may hold <c>{{ expressions }}</c>.</summary>
    public required FlowTemplate Url { get; init; }

    /// <summary>Upload the audio, or send a link to it.</summary>
    public RecordingDelivery Mode { get; init; } = RecordingDelivery.Upload;

    /// <summary>Extra request headers (templated), e.g. an API key.</summary>
    public IReadOnlyDictionary<string, FlowTemplate> Headers { get; init; } = new Dictionary<string, FlowTemplate>();

    /// <summary>Time per attempt; uploads take longer than lookups.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Further attempts after a failure.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Whether the WAV stays on the gateway after a successful upload (a link always keeps it).</summary>
    public bool Keep { get; init; }
}
