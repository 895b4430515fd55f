using System.Net;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Outbound;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// An INVITE without an offer (RFC 3261 §13.2.1, RFC 3264 §5): our 2xx carries the offer and the ACK must carry the
/// answer. Until the ACK the peer's RTP address and its choice among our codecs are unknown, so the handler is told
/// <see cref="IncomingCall.DelayedOffer"/>, gets a placeholder address (nothing is sent to it, see
/// <see cref="MediaUpdate.SendsAudio"/>) and our first codec, and learns the real media from
/// <see cref="ICallHandler.OnMediaUpdated"/> just before <see cref="ICallHandler.OnCallConfirmed"/>.
/// </summary>
internal static class DelayedOffer
{
    /// <summary>The telephone-event payload type we offer (RFC 4733); the peer sends DTMF with it (RFC 3264 §5.1).</summary>
    public const int TelephoneEventPayloadType = 101;

    /// <summary>The address the handler sends to until the answer arrives: unspecified, so nothing is sent.</summary>
    public static readonly IPEndPoint UnknownRemote = new(IPAddress.Any, 0);

    /// <summary>
    /// The call as the handler sees it before the answer: our first codec and no peer address yet. Early media, when
    /// the caller allows 100rel, offers in a reliable 183 and takes the answer from the PRACK (RFC 3262 §5); the
    /// handler then learns the media from <see cref="ICallHandler.OnMediaUpdated"/> while the announcement plays.
    /// </summary>
    /// <param name="srtpKey">Our SDES key when the offer is SRTP (<see cref="SrtpOfferPolicy"/>), else null.</param>
    public static IncomingCall Describe(
        string dialogId, SipRequest invite, IReadOnlyList<AudioCodec> codecs, IPEndPoint remoteSignalling, SrtpMasterKey? srtpKey = null, IEarlyMedia? earlyMedia = null) => new()
    {
        OfferedSrtpKey = srtpKey,
        DialogId = dialogId,
        CallId = invite.CallId!,
        FromUri = invite.From!.Uri,
        ToUri = invite.To!.Uri,
        RemoteRtp = UnknownRemote,
        Codec = codecs[0],
        TelephoneEventPayloadType = TelephoneEventPayloadType,
        RemoteSignalling = remoteSignalling,
        DelayedOffer = true,
        EarlyMedia = earlyMedia,
    };

    /// <summary>
    /// Our offer for the 2xx: every configured codec in preference order, telephone-event, sendrecv; RTP/SAVP with
    /// <paramref name="srtpKey"/> when the call is to be SRTP, so the ACK's answer must bring the peer's key.
    /// </summary>
    public static DialogMediaState CreateOffer(IPEndPoint localRtp, IReadOnlyList<AudioCodec> codecs, ulong sessionId, SrtpMasterKey? srtpKey = null)
    {
        var sdp = SdpOfferWriter.Write(localRtp, codecs, TelephoneEventPayloadType, sessionId, srtpKey);
        var placeholder = new MediaUpdate(UnknownRemote, codecs[0], SdpDirection.SendRecv, TelephoneEventPayloadType);
        return new DialogMediaState(sessionId, localRtp, placeholder, sdp, srtpKey);
    }

    /// <summary>
    /// RFC 3326 Reason for the BYE that ends a call whose ACK brought no usable answer: 488 is what an unacceptable
    /// offer would have earned had it come in the INVITE.
    /// </summary>
    public static string ByeReason(string failure) => "SIP ;cause=488 ;text=\"" + failure.Replace('"', '\'') + "\"";
}
