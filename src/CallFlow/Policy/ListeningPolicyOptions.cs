namespace StepAudio.Telephony.CallFlow.Policy;

/// <summary>
/// The spine's call flow: answer, listen to the caller, and end the call when it has gone on too long
/// or the caller has gone quiet. Scripted YAML flows replace this; its limits stay as the safety net.
/// </summary>
public sealed class ListeningPolicyOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "CallFlow";

    /// <summary>Hard limit on a call's length; the gateway hangs up with reason <c>max-duration</c>.</summary>
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Hang up with reason <c>caller-silent</c> when the caller has not spoken for this long
    /// (measured from the end of the last speech, or from answer if nobody spoke). Zero disables it.
    /// </summary>
    public TimeSpan SilenceHangup { get; set; } = TimeSpan.Zero;
}
