using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// Our side of a dialog's offer/answer history: the o= line identity and the last SDP we sent, so each new SDP
/// carries the right version (RFC 3264 §8: incremented by one when the description changes, unchanged otherwise).
/// Guarded by the UAS lock.
/// </summary>
internal sealed class DialogMediaState
{
    private const int TelephoneEventPayloadType = 101;

    private byte[] _lastLocalSdp;

    public DialogMediaState(ulong sessionId, IPEndPoint localRtp, MediaUpdate current, byte[] initialSdp, SrtpMasterKey? offeredSrtpKey = null)
    {
        SessionId = sessionId;
        OfferedSrtpKey = offeredSrtpKey;
        LocalRtp = localRtp;
        Current = current;
        _lastLocalSdp = initialSdp;
    }

    public ulong SessionId { get; }

    /// <summary>
    /// Our SDES key while our initial SRTP offer awaits its answer (delayed offer, RFC 4568 §7.1); null once answered,
    /// and for plain RTP. The answer must then accept it (<see cref="SdpNegotiator.TakeAnswer"/>).
    /// </summary>
    public SrtpMasterKey? OfferedSrtpKey { get; private set; }

    /// <summary>The o= version of the last SDP we sent; 1 for the initial answer.</summary>
    public ulong Version { get; private set; } = 1;

    public IPEndPoint LocalRtp { get; }

    /// <summary>The SDP we sent last; re-offered unchanged, with the same version, to refresh a session (RFC 3264 §8).</summary>
    public byte[] LastLocalSdp => _lastLocalSdp;

    /// <summary>The media as last agreed.</summary>
    public MediaUpdate Current { get; set; }

    /// <summary>
    /// Takes the peer's answer to the offer we sent last (the 2xx of our re-INVITE, or the ACK of a 2xx that carried
    /// our offer, RFC 3264 §6): on success <see cref="Current"/> becomes the negotiated media. Under the lock.
    /// </summary>
    public bool TryTakeAnswer(
        string? contentType, ReadOnlySpan<byte> body, IReadOnlyList<AudioCodec> codecs, [NotNullWhen(true)] out MediaUpdate? update, out string failure)
    {
        update = null;
        if (!SdpAnswer.TryRead(contentType, body, codecs, out var negotiation, out failure, Current.Srtp, OfferedSrtpKey))
        {
            return false;
        }

        OfferedSrtpKey = null;
        update = MediaUpdate.From(negotiation);
        Current = update;
        return true;
    }

    /// <summary>Answers a new offer; the version moves only if the answer differs from what we sent last.</summary>
    public byte[] Answer(SdpSessionDescription offer, SdpNegotiationResult negotiation) =>
        Versioned(version => SdpAnswerBuilder.Build(offer, negotiation, LocalRtp, SessionId, version));

    /// <summary>
    /// Our offer for an offer-less re-INVITE (RFC 3261 §14.2, RFC 6337 §5.3): every codec we support with the current
    /// one first, and sendrecv, because the peer asks us to restate the full session (often to take a call off hold).
    /// </summary>
    public byte[] Offer() => Versioned(WriteOffer);

    private byte[] Versioned(Func<ulong, byte[]> build)
    {
        var unchanged = build(Version);
        if (unchanged.AsSpan().SequenceEqual(_lastLocalSdp))
        {
            return unchanged;
        }

        Version++;
        _lastLocalSdp = build(Version);
        return _lastLocalSdp;
    }

    private byte[] WriteOffer(ulong version)
    {
        var ic = CultureInfo.InvariantCulture;
        var addrType = LocalRtp.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        var first = AudioCodecPreferences.Find(AudioCodecPreferences.Supported, Current.Codec.EncodingName) ?? AudioCodec.Pcmu;
        var second = first == AudioCodec.Pcmu ? AudioCodec.Pcma : AudioCodec.Pcmu;
        var sb = new StringBuilder(256);
        sb.Append("v=0\r\n");
        sb.Append(ic, $"o=- {SessionId} {version} IN {addrType} {LocalRtp.Address}\r\n");
        sb.Append("s=-\r\n");
        sb.Append(ic, $"c=IN {addrType} {LocalRtp.Address}\r\n");
        sb.Append("t=0 0\r\n");
        // An SRTP call re-offers SRTP with the key it uses (RFC 4568 §7.1.4), so the answer cannot fall back to plain RTP.
        var profile = Current.Srtp is null ? "RTP/AVP" : "RTP/SAVP";
        sb.Append(ic, $"m=audio {LocalRtp.Port} {profile} {first.PayloadType} {second.PayloadType} {TelephoneEventPayloadType}\r\n");
        sb.Append(ic, $"a=rtpmap:{first.PayloadType} {first.EncodingName}/8000\r\n");
        sb.Append(ic, $"a=rtpmap:{second.PayloadType} {second.EncodingName}/8000\r\n");
        sb.Append(ic, $"a=rtpmap:{TelephoneEventPayloadType} telephone-event/8000\r\n");
        sb.Append(ic, $"a=fmtp:{TelephoneEventPayloadType} 0-16\r\n");
        if (Current.Srtp is { } srtp)
        {
            sb.Append("a=").Append(SdpCrypto.Format(srtp.Tag, srtp.Suite, srtp.Local)).Append("\r\n");
        }

        sb.Append(ic, $"a=ptime:{SdpAnswerBuilder.PtimeMs}\r\n");
        sb.Append("a=sendrecv\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
