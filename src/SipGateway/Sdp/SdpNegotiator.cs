using System.Globalization;
using System.Net;

namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>
/// Chooses the audio stream and codec for an answer (RFC 3264 §6): the first m=audio RTP/AVP stream with a non-zero
/// port, and in it the first payload in offer order whose codec is enabled (PCMU 0, PCMA 8, G722 9, or a dynamic rtpmap
/// of one of them at its RTP clock rate of 8000).
/// </summary>
public static class SdpNegotiator
{
    /// <param name="offer">The offer (or, for an offer of ours, the answer) to negotiate.</param>
    /// <param name="enabled">The codecs we accept; <see cref="AudioCodecPreferences.Default"/> when null.</param>
    public static SdpNegotiationResult Negotiate(SdpSessionDescription offer, IReadOnlyList<AudioCodec>? enabled = null)
    {
        ArgumentNullException.ThrowIfNull(offer);
        enabled ??= AudioCodecPreferences.Default;
        var sawAudio = false;
        for (var index = 0; index < offer.Media.Count; index++)
        {
            var media = offer.Media[index];
            if (media.Media != "audio" || media.Port == 0 || media.Protocol != "RTP/AVP")
            {
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
            return SdpNegotiationResult.Accepted(codec, telephoneEvent, fmtp, new IPEndPoint(ip, media.Port), direction, index, FindComfortNoise(media));
        }

        return SdpNegotiationResult.Failure(sawAudio ? "No supported audio codec offered" : "No RTP/AVP audio stream offered");
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
