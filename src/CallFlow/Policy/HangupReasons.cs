namespace StepAudio.Telephony.CallFlow.Policy;

/// <summary>The reasons a flow gives for ending a call; they travel to the <c>CallEnded</c> event.</summary>
public static class HangupReasons
{
    /// <summary>The call reached <see cref="ListeningPolicyOptions.MaxCallDuration"/>.</summary>
    public const string MaxDuration = "max-duration";

    /// <summary>The caller said nothing for <see cref="ListeningPolicyOptions.SilenceHangup"/>.</summary>
    public const string CallerSilent = "caller-silent";
}
