namespace StepAudio.Telephony.SipGateway.Media.Recording;

/// <summary>
/// Call recording (section <c>Recording</c>). Off by default: recording callers usually needs their consent and a
/// retention policy, so it must be switched on deliberately.
/// </summary>
public sealed class RecordingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Recording";

    /// <summary>Whether calls are recorded.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where <c>&lt;call id&gt;.wav</c> files are written (created if missing).</summary>
    public string Directory { get; set; } = "recordings";
}
