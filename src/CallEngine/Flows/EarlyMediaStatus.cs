namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>What became of a flow's <c>early_media</c> announcement.</summary>
public enum EarlyMediaStatus
{
    /// <summary>The flow has no <c>early_media</c>.</summary>
    NotConfigured,

    /// <summary>The call cannot carry early media (no offer, and no 100rel to carry ours); it is answered without.</summary>
    Unavailable,

    /// <summary>The prompt is missing or speech synthesis failed; the call is answered without it.</summary>
    RenderFailed,

    /// <summary>The channel would not open (the call ended first).</summary>
    NotOpened,

    /// <summary>The channel opened but the call ended before the answer to our offer arrived, so nothing was played.</summary>
    NotAnswered,

    /// <summary>Played to the end before the answer.</summary>
    Played,
}
