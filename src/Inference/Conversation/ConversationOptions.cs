namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>Settings of the conversation with the reasoning model (section <c>Conversation</c>).</summary>
public sealed class ConversationOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Conversation";

    /// <summary>Endpoints in the order they are tried; none configured means flows with <c>converse</c> are invalid.</summary>
    public IList<ConversationEndpointOptions> Endpoints { get; } = [];

    /// <summary>Longest wait for an endpoint's first streamed token before the next endpoint is tried.</summary>
    public TimeSpan FirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Longest silence between two streamed chunks once the reply has begun.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest a reply may stream after its first token (a server that streams forever is cut here).</summary>
    public TimeSpan MaxReplyDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failures within <see cref="BreakerSamplingDuration"/> (at least <see cref="BreakerMinimumThroughput"/> attempts) that open an endpoint's breaker.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Window over which the breaker counts failures.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts needed in the window before the breaker may open.</summary>
    public int BreakerMinimumThroughput { get; set; } = 3;

    /// <summary>How long an opened breaker skips its endpoint.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest reply length asked of the model, in tokens (a phone reply is short).</summary>
    public int MaxOutputTokens { get; set; } = 400;

    /// <summary>Play <see cref="Filler"/> when the first reply audio is later than this after the turn was decided.</summary>
    public TimeSpan FillerAfter { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>What the filler says; empty: no filler.</summary>
    public string Filler { get; set; } = "One moment.";

    /// <summary>
    /// Caller speech over a reply must last this long after the VAD reported its start before the reply is cut: a
    /// cough or an "mm-hm" is shorter and lets the reply go on.
    /// </summary>
    public TimeSpan BargeInMinSpeech { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// A pause inside the caller's speech this long (and shorter than the end-of-turn silence, <c>Vad:MinSilenceMs</c>)
    /// sends the model request early with the audio so far: when the turn then ends with no more speech the reply is
    /// already streaming (the rest of the silence wait is saved); when the caller goes on, the request is cancelled and
    /// nothing of it is played. Costs model requests for pauses that were not the end of a turn, and the early request
    /// carries the caller's state without this turn's emotion, so it is off (zero) by default. Used only when the
    /// first endpoint takes audio (a text endpoint needs the turn's words, recognised when the turn ends).
    /// </summary>
    public TimeSpan EarlyRequestPause { get; set; } = TimeSpan.Zero;

    /// <summary>How long a turn waits for its emotion analysis before going to the model without it.</summary>
    public TimeSpan AnalysisWait { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>How many of the latest caller turns keep their audio in the history.</summary>
    public int AudioTurnsKept { get; set; } = 2;

    /// <summary>Whether any endpoint is configured with a base URL and a model.</summary>
    public bool IsConfigured => Endpoints.Any(e => e.BaseUrl is not null && !string.IsNullOrWhiteSpace(e.Model));

    /// <summary>
    /// Whether the caller's words and the model's replies may be written to the log at Debug level. Off by default:
    /// no words reach logs, events or disk unless an operator turns this on.
    /// </summary>
    public bool LogTranscripts { get; set; }
}
