namespace StepAudio.Telephony.Inference.Synthesis;

/// <summary>
/// An OpenAI-compatible <c>/v1/audio/speech</c> endpoint (section <c>SpeechEndpoint</c>: OpenAI, Kokoro-FastAPI,
/// speaches, vLLM-Omni) used instead of the local espeak-ng when <see cref="BaseUrl"/> is set.
/// </summary>
public sealed class SpeechEndpointOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "SpeechEndpoint";

    /// <summary>The API root including <c>/v1</c>; null keeps espeak-ng.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Model name, for example <c>tts-1</c> or <c>kokoro</c>.</summary>
    public string Model { get; set; } = "tts-1";

    /// <summary>Voice used when a prompt names none, for example <c>alloy</c>.</summary>
    public string Voice { get; set; } = "alloy";

    /// <summary>Bearer key; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Longest one rendering may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether an endpoint is configured.</summary>
    public bool IsConfigured => BaseUrl is not null;
}
