namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Something <see cref="RtpPlayoutTicker"/> wakes up periodically to release due audio.</summary>
internal interface IRtpPlayoutClient
{
    /// <summary>Releases whatever is due; must not block and must not throw.</summary>
    void OnPlayoutTick();
}
