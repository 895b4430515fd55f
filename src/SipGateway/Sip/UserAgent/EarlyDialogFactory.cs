using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Provisional;
using StepAudio.Telephony.SipGateway.Sip.Transactions;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Sets up the early dialog of a ringing INVITE (RFC 3261 §12.1.1): a 183 Session Progress with our answer to the
/// INVITE's offer, sent reliably when the caller allows 100rel (RFC 3262), or, for an INVITE without an offer, a
/// reliable 183 with our offer whose answer comes in the PRACK (RFC 3262 §5). Without 100rel an offer-less INVITE gets
/// no early dialog: an unreliable 183 cannot carry an offer, since its answer would have nowhere to go.
/// </summary>
internal sealed class EarlyDialogFactory
{
    private readonly SipDialogHost _host;
    private readonly InviteResponses _build;

    public EarlyDialogFactory(SipDialogHost host, InviteResponses build)
    {
        _host = host;
        _build = build;
    }

    /// <summary>
    /// The early dialog for <paramref name="tx"/>, or null when it can have none. <paramref name="srtpOffer"/> is our
    /// SDES key when our offer (no <paramref name="negotiation"/>) is SRTP: the PRACK's answer must then bring the
    /// peer's key. <paramref name="timedOut"/> runs when a reliable 183 was never acknowledged within 64*T1 (RFC 3262 §3).
    /// </summary>
    public EarlyDialog? Create(
        InviteServerTransaction tx, SdpSessionDescription? offer, SdpNegotiationResult? negotiation, SrtpMasterKey? srtpOffer, string dialogId, Action timedOut)
    {
        var reliable = SipExtensions.AllowsReliableProvisional(tx.Invite);
        if (negotiation is null && !reliable)
        {
            return null;
        }

        var sender = reliable
            ? new ReliableProvisionalSender(_host.Options.T1, _host.Time, bytes => _host.Send(bytes, tx.ResponseDestination), ReliableProvisionalSender.NewFirstRSeq())
            : null;
        EarlyDialog? early = null;
        early = new EarlyDialog(
            tx.Invite,
            dialogId,
            sender,
            localRtp =>
            {
                lock (_host.Sync)
                {
                    if (tx.State != InviteTransactionState.Proceeding)
                    {
                        return null;
                    }

                    var progress = _build.CreateDialogResponse(tx, 183, "Session Progress");
                    early!.Media = negotiation is null ? _build.CreateOffer(localRtp, srtpOffer) : _build.CreateAnswer(offer!, negotiation, localRtp);
                    progress.Body = early.Media.LastLocalSdp;

                    // A retransmitted INVITE gets the most recent provisional response (RFC 3261 §17.2.1).
                    tx.LastResponse = sender is null ? progress.ToBytes() : tx.LastResponse;
                    return progress;
                }
            },
            bytes => _host.Send(bytes, tx.ResponseDestination),
            timedOut,
            negotiation is null ? prack => TakeAnswer(early!, prack) : null);
        return early;
    }

    /// <summary>The answer in a PRACK to the offer in our 183 (RFC 3264 §6), checked like the answer in an ACK.</summary>
    private (MediaUpdate? Update, string Failure) TakeAnswer(EarlyDialog early, SipRequest prack)
    {
        lock (_host.Sync)
        {
            return early.Media!.TryTakeAnswer(prack.ContentType, prack.Body.Span, _host.Codecs, out var update, out var failure)
                ? (update, string.Empty)
                : (null, failure);
        }
    }
}
