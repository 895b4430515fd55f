namespace StepAudio.Telephony.SipGateway.Media.Recording;

/// <summary>
/// Call recording (section <c>Recording</c>). Off by default: recording callers usually needs their consent and a
/// retention policy, so it must be switched on deliberately.
/// </summary>
public sealed class RecordingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Recording";

    /// <summary>Whether every call is recorded whole (a stereo WAV: caller and gateway). Independent of <see cref="Messages"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Whether flows' <c>record</c> steps may record the caller's message (voicemail). Only the message is written,
    /// not the call around it.
    /// </summary>
    public bool Messages { get; set; }

    /// <summary>Where <c>&lt;call id&gt;.wav</c> and message files are written (created if missing).</summary>
    public string Directory { get; set; } = "recordings";

    /// <summary>
    /// Where <see cref="Directory"/> is served from by the operator's web server, for <c>record</c> webhooks that send a
    /// link instead of the audio; null when it is not served.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Whether <c>record</c> steps may run: message recording is on, or the whole call is recorded anyway.</summary>
    public bool MessagesAllowed => Messages || Enabled;
}
