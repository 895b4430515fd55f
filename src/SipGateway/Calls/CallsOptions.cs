namespace StepAudio.Telephony.SipGateway.Calls;

/// <summary>How the gateway treats each call's media (section <c>Calls</c>).</summary>
public sealed class CallsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Calls";

    /// <summary>
    /// How long the gateway lets a call ring before answering. Zero answers at once; a few seconds
    /// gives callers who dialled by mistake the chance to hang up (CANCEL) before a call is counted.
    /// </summary>
    public TimeSpan AnswerDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Hang up with reason <c>media-timeout</c> when no RTP has arrived for this long: a caller whose
    /// network died never sends BYE. Zero disables it.
    /// </summary>
    public TimeSpan MediaTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most calls this gateway holds at once (SIP dialogs, a transfer's or bridge's outbound leg included, plus
    /// INVITEs being decided); a new INVITE beyond it gets 503 Service Unavailable with Retry-After
    /// (<c>Admission:RetryAfter</c>) so the trunk routes it elsewhere. 0 (the default): no cap but <c>Sip:MaxDialogs</c>
    /// and the overload guard (section <c>Admission</c>).
    /// </summary>
    public int MaxConcurrentCalls { get; set; }

    /// <summary>Whether prompts stop as soon as the caller starts to speak (barge-in), unless a prompt says otherwise.</summary>
    public bool BargeIn { get; set; } = true;

    /// <summary>Spoken to the caller once the call is answered; empty for none.</summary>
    public string Greeting { get; set; } = "Thank you for calling. Please tell me how I can help you.";
}
