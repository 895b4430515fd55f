using System.Globalization;
using System.Net;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;

namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>
/// Chooses the audio stream and codec for an answer (RFC 3264 §6): the first m=audio RTP/AVP (or, with SRTP, RTP/SAVP) stream with a non-zero
/// port, and in it the first payload in offer order whose codec is enabled (PCMU 0, PCMA 8, G722 9, or a dynamic rtpmap
/// of one of them at its RTP clock rate of 8000).
/// </summary>
public static class SdpNegotiator
{
    /// <param name="offer">The offer (or, for an offer of ours, the answer) to negotiate.</param>
    /// <param name="enabled">The codecs we accept; <see cref="AudioCodecPreferences.Default"/> when null.</param>
    /// <param name="srtp">
    /// SRTP policy; null is <see cref="SrtpMode.Off"/>. With SRTP on, a stream whose offer carries a usable SDES key
    /// (RFC 4568) is answered in its own profile with a fresh key of ours, in <see cref="SdpNegotiationResult.Srtp"/>.
    /// </param>
    public static SdpNegotiationResult Negotiate(SdpSessionDescription offer, IReadOnlyList<AudioCodec>? enabled = null, SrtpOptions? srtp = null) =>
        Negotiate(offer, enabled, srtp?.Mode ?? SrtpMode.Off, current: null);

    /// <summary>
    /// A new offer inside a dialog (re-INVITE or UPDATE, RFC 3264 §8). The media keeps its security: a plain call
    /// stays plain (crypto attributes are ignored, RTP/SAVP refused), and an SRTP call stays SRTP with the same keys
    /// (RFC 4568 §7.1.4 lets both sides keep them): the peer's key must be the one in use, and ours is answered again.
    /// A re-offer that drops SRTP or changes the key is refused (488): the media session cannot re-key mid-call.
    /// </summary>
    /// <param name="current">The keys of the dialog's media, or null when it is plain RTP.</param>
    public static SdpNegotiationResult Renegotiate(SdpSessionDescription offer, IReadOnlyList<AudioCodec>? enabled, SrtpKeys? current) =>
        Negotiate(offer, enabled, current is null ? SrtpMode.Off : SrtpMode.Required, current);

    /// <summary>
    /// The answer to an initial offer of ours that carried SDES key <paramref name="offered"/> (RFC 4568 §7.1.3): the
    /// answer must keep RTP/SAVP and accept our crypto line (its tag, our suite) with a usable key of the peer's own.
    /// Without <paramref name="offered"/> the answer must be plain RTP, as for <see cref="Renegotiate"/>.
    /// </summary>
    public static SdpNegotiationResult TakeAnswer(SdpSessionDescription answer, IReadOnlyList<AudioCodec>? enabled, SrtpMasterKey? offered) =>
        offered is null ? Renegotiate(answer, enabled, current: null) : Negotiate(answer, enabled, SrtpMode.Required, current: null, offered);

    private static SdpNegotiationResult Negotiate(
        SdpSessionDescription offer, IReadOnlyList<AudioCodec>? enabled, SrtpMode mode, SrtpKeys? current, SrtpMasterKey? offered = null)
    {
        ArgumentNullException.ThrowIfNull(offer);
        enabled ??= AudioCodecPreferences.Default;
        var sawAudio = false;
        string? securityFailure = null;
        for (var index = 0; index < offer.Media.Count; index++)
        {
            var media = offer.Media[index];
            var secureProfile = media.Protocol == "RTP/SAVP";
            if (media.Media != "audio" || media.Port == 0 || (media.Protocol != "RTP/AVP" && !secureProfile))
            {
                continue;
            }

            // RFC 4568 §7.1.1: the answerer takes the first crypto line it supports; RTP/AVP with a=crypto is the
            // "best effort" SRTP many phones offer, and is answered in kind.
            var rekeyed = false;
            var keys = mode == SrtpMode.Off ? null : offered is not null ? AcceptAnsweredKey(media, offered) : ChooseKeys(media, current, out rekeyed);
            if (keys is null && (secureProfile || mode == SrtpMode.Required))
            {
                securityFailure = rekeyed ? "SRTP re-keying is not supported"
                    : secureProfile && mode == SrtpMode.Off ? "SRTP is disabled"
                    : secureProfile ? "No supported SRTP crypto attribute offered"
                    : "SRTP required";
                continue;
            }

            sawAudio = true;
            var codec = ChooseCodec(media, enabled);
            if (codec is null)
            {
                continue;
            }

            var address = media.ConnectionAddress ?? offer.ConnectionAddress;
            if (address is null || !IPAddress.TryParse(address, out var ip))
            {
                return SdpNegotiationResult.Failure("No usable connection address in SDP offer");
            }

            var telephoneEvent = FindTelephoneEvent(media);
            string? fmtp = null;
            if (telephoneEvent is { } te)
            {
                media.Fmtps.TryGetValue(te, out fmtp);
            }

            var direction = Mirror(media.Direction ?? offer.Direction ?? SdpDirection.SendRecv);
            return SdpNegotiationResult.Accepted(codec, telephoneEvent, fmtp, new IPEndPoint(ip, media.Port), direction, index, FindComfortNoise(media), keys);
        }

        return SdpNegotiationResult.Failure(sawAudio ? "No supported audio codec offered" : securityFailure ?? "No RTP/AVP audio stream offered");
    }

    /// <summary>RFC 4568 §7.1.3 / §7.4: the answer's crypto line must repeat our tag and suite; its key is the peer's.</summary>
    private static SrtpKeys? AcceptAnsweredKey(SdpMediaDescription media, SrtpMasterKey offered)
    {
        if (media.Protocol != "RTP/SAVP")
        {
            // RFC 4568 §7.1.3: an RTP/SAVP offer is answered in RTP/SAVP or refused; a plain answer is no answer.
            return null;
        }

        foreach (var crypto in media.Cryptos)
        {
            if (crypto.Tag == SdpCrypto.OfferTag && crypto.TryGetUsableKey(out var remote))
            {
                return new SrtpKeys(offered, remote!, crypto.Tag, crypto.Suite);
            }
        }

        return null;
    }

    private static SrtpKeys? ChooseKeys(SdpMediaDescription media, SrtpKeys? current, out bool rekeyed)
    {
        rekeyed = false;
        foreach (var crypto in media.Cryptos)
        {
            if (!crypto.TryGetUsableKey(out var remote))
            {
                continue;
            }

            if (current is null)
            {
                return new SrtpKeys(SrtpMasterKey.Generate(), remote!, crypto.Tag, crypto.Suite);
            }

            if (remote!.SameAs(current.Remote))
            {
                return current with { Tag = crypto.Tag, Suite = crypto.Suite };
            }

            rekeyed = true;
        }

        return null;
    }

    /// <summary>RFC 3264 §6.1: sendonly is answered with recvonly and vice versa; sendrecv and inactive stay.</summary>
    public static SdpDirection Mirror(SdpDirection offered) => offered switch
    {
        SdpDirection.SendOnly => SdpDirection.RecvOnly,
        SdpDirection.RecvOnly => SdpDirection.SendOnly,
        _ => offered,
    };

    private static AudioCodec? ChooseCodec(SdpMediaDescription media, IReadOnlyList<AudioCodec> enabled)
    {
        foreach (var format in media.Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) || pt > 127)
            {
                continue;
            }

            AudioCodec? codec;
            if (media.FindRtpMap(pt) is { } map)
            {
                // All our codecs use an 8000 Hz RTP clock, G.722 included (RFC 3551 §4.5.2), and are mono.
                if (map.ClockRate != 8000 || map.Channels != 1)
                {
                    continue;
                }

                codec = AudioCodecPreferences.Find(enabled, map.EncodingName);
                if (codec is not null && codec.PayloadType != pt)
                {
                    codec = codec with { PayloadType = pt };
                }
            }
            else
            {
                // Static payload types need no rtpmap (RFC 3551 §6).
                codec = pt switch
                {
                    0 => AudioCodecPreferences.Find(enabled, "PCMU"),
                    8 => AudioCodecPreferences.Find(enabled, "PCMA"),
                    9 => AudioCodecPreferences.Find(enabled, "G722"),
                    _ => null,
                };
            }

            if (codec is not null)
            {
                return codec;
            }
        }

        return null;
    }

    private static bool IsListed(SdpMediaDescription media, int payloadType)
    {
        foreach (var format in media.Formats)
        {
            if (int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) && pt == payloadType)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// RFC 3389 CN on its static payload type 13 (RFC 3551 §6), listed in m= and not remapped by an rtpmap to
    /// something else. Only the 8 kHz static type is taken: that is the one the RTP session understands.
    /// </summary>
    private static int? FindComfortNoise(SdpMediaDescription media)
    {
        const int cn = 13;
        if (!IsListed(media, cn))
        {
            return null;
        }

        return media.FindRtpMap(cn) is not { } map
            || (map.EncodingName.Equals("CN", StringComparison.OrdinalIgnoreCase) && map.ClockRate == 8000) ? cn : null;
    }

    private static int? FindTelephoneEvent(SdpMediaDescription media)
    {
        foreach (var map in media.RtpMaps)
        {
            if (map.ClockRate == 8000 && map.EncodingName.Equals("telephone-event", StringComparison.OrdinalIgnoreCase)
                && IsListed(media, map.PayloadType))
            {
                return map.PayloadType;
            }
        }

        return null;
    }
}
