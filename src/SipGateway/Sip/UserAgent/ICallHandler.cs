using StepAudio.Telephony.SipGateway.Sip.Dialogs;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// What the gateway does with calls. Implementations must be thread-safe. <see cref="OnCallConfirmed"/> and
/// <see cref="OnCallTerminated"/> run on the SIP receive path, so they must return quickly; exceptions are caught
/// and logged.
/// </summary>
public interface ICallHandler
{
    /// <summary>
    /// Decides an INVITE whose offer was negotiated. <paramref name="cancellationToken"/> fires when the caller
    /// CANCELs meanwhile; an acceptance returned after that is followed by
    /// <see cref="OnCallTerminated"/>(…, "caller", "cancel") so allocated media can be released.
    /// </summary>
    ValueTask<MediaAcceptance> OnIncomingCallAsync(IncomingCall incomingCall, CancellationToken cancellationToken);

    /// <summary>The caller's ACK for our 200 OK arrived: media may flow both ways.</summary>
    void OnCallConfirmed(string dialogId);

    /// <summary>
    /// Called exactly once for every call <see cref="OnIncomingCallAsync"/> accepted. <paramref name="endedBy"/> is
    /// <see cref="CallTermination.Caller"/> or <see cref="CallTermination.Gateway"/>.
    /// </summary>
    void OnCallTerminated(string dialogId, string endedBy, string reason);

    /// <summary>
    /// A re-INVITE, UPDATE or the ACK of an offer-less re-INVITE changed the session (RFC 3264 §8): hold/unhold, codec or
    /// remote RTP address. Runs on the SIP receive path. The default does nothing so handlers can ignore it.
    /// </summary>
    void OnMediaUpdated(string dialogId, MediaUpdate update)
    {
    }

    /// <summary>
    /// A DTMF digit signalled in the dialog; <paramref name="source"/> is one of <see cref="DtmfSource"/>, and
    /// <paramref name="duration"/> is zero when the signal did not carry one. Runs on the SIP receive path.
    /// </summary>
    void OnDtmf(string dialogId, char digit, TimeSpan duration, string source)
    {
    }

    /// <summary>
    /// The peer sent REFER (RFC 3515) in the dialog: whether the call's policy lets it transfer the call. False (the
    /// default) answers 603 Decline. Runs on the SIP receive path, so it must return quickly.
    /// </summary>
    bool AcceptsRefer(string dialogId) => false;

    /// <summary>
    /// Carries out a transfer the peer asked for and <see cref="AcceptsRefer"/> allowed: the final status goes to the
    /// peer in the subscription's last NOTIFY. <paramref name="cancellationToken"/> fires at the transfer timeout or the
    /// dialog's end. The default declines.
    /// </summary>
    Task<TransferResult> OnReferAsync(string dialogId, string targetUri, CancellationToken cancellationToken) =>
        Task.FromResult(new TransferResult(false, 603, "Decline"));
}
