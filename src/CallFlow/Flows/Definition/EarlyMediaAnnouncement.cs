namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>
/// <c>early_media</c>: what the caller hears before the call is answered, in a 183 Session Progress (RFC 3261
/// §13.3.1.1), so an announcement ("calls are recorded", "all agents are busy") costs the caller nothing: billing starts
/// at the answer, after it. Exactly one of <see cref="Text"/> and <see cref="File"/>; plain text only, because nothing
/// of the call is known to expressions before the flow starts.
/// </summary>
public sealed record EarlyMediaAnnouncement
{
    /// <summary>Text to speak (<c>say</c>); null when a file is played.</summary>
    public string? Text { get; init; }

    /// <summary>espeak-ng voice for <see cref="Text"/>; null uses the flow's.</summary>
    public string? Voice { get; init; }

    /// <summary>WAV file relative to the prompt directory, or an http(s) URL (<c>play</c>); null when text is spoken.</summary>
    public string? File { get; init; }

    /// <summary>Where it was written, for errors found while the call runs.</summary>
    public required SourceLocation Location { get; init; }
}
