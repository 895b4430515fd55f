namespace StepAudio.Telephony.Inference.Recognition;

/// <summary>
/// The speech recogniser (section <c>Recognition</c>): an OpenAI-compatible <c>/v1/audio/transcriptions</c> endpoint
/// (speaches / faster-whisper-server, vLLM with a Whisper model, OpenAI). Without <see cref="BaseUrl"/> there is none.
/// </summary>
public sealed class RecognitionOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Recognition";

    /// <summary>The API root including <c>/v1</c>; null: no recogniser (speech answers carry no words).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Model name, for example <c>whisper-1</c> or <c>Systran/faster-whisper-small</c>.</summary>
    public string Model { get; set; } = "whisper-1";

    /// <summary>Bearer key; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>ISO-639-1 language hint (<c>en</c>); null lets the backend detect it.</summary>
    public string? Language { get; set; }

    /// <summary>
    /// Ask for <c>verbose_json</c> (segments with <c>avg_logprob</c>, hence a confidence). Turn off for a backend that
    /// only knows <c>json</c>; results then carry no confidence.
    /// </summary>
    public bool Verbose { get; set; } = true;

    /// <summary>Longest one recognition may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether a recogniser is configured.</summary>
    public bool IsConfigured => BaseUrl is not null;
}
