namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>What became of a flow's <c>early_media</c> announcement.</summary>
public enum EarlyMediaStatus
{
    /// <summary>The flow has no <c>early_media</c>.</summary>
    NotConfigured,

    /// <summary>The call cannot carry early media (no offer to answer early); it is answered without.</summary>
    Unavailable,

    /// <summary>The prompt is missing or speech synthesis failed; the call is answered without it.</summary>
    RenderFailed,

    /// <summary>The channel would not open (the call ended first).</summary>
    NotOpened,

    /// <summary>Played to the end before the answer.</summary>
    Played,
}
