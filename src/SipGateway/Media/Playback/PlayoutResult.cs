namespace StepAudio.Telephony.SipGateway.Media.Playback;

/// <summary>How one play request ended.</summary>
public enum PlayoutResult
{
    /// <summary>Every frame was sent.</summary>
    Completed,

    /// <summary>The caller started to speak and the request allowed barge-in.</summary>
    BargedIn,

    /// <summary>Cancelled by its token, by <see cref="CallPlayout.StopAll"/> or because the call ended.</summary>
    Stopped,
}
