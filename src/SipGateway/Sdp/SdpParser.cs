using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>Parses the SDP lines an audio answerer uses (RFC 4566 §5); unknown lines and attributes are skipped.</summary>
public static class SdpParser
{
    public static bool TryParse(ReadOnlySpan<byte> body, [NotNullWhen(true)] out SdpSessionDescription? sdp, [NotNullWhen(false)] out string? error)
    {
        sdp = null;
        error = null;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            error = "SDP is not valid UTF-8";
            return false;
        }

        var result = new SdpSessionDescription();
        SdpMediaDescription? media = null;
        var first = true;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            var line = rawLine.TrimEnd();
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.Length < 2 || line[1] != '=')
            {
                error = "Malformed SDP line";
                return false;
            }

            var type = line[0];
            var value = line[2..];
            if (first)
            {
                // RFC 4566 §5: the description starts with v=0.
                if (type != 'v' || !value.SequenceEqual("0"))
                {
                    error = "SDP does not start with v=0";
                    return false;
                }

                first = false;
                continue;
            }

            switch (type)
            {
                case 'o':
                    ParseOrigin(value, result);
                    break;
                case 'c':
                    if (!TryParseConnection(value, out var address))
                    {
                        error = "Malformed SDP c= line";
                        return false;
                    }

                    if (media is null)
                    {
                        result.ConnectionAddress = address;
                    }
                    else
                    {
                        media.ConnectionAddress = address;
                    }

                    break;
                case 'm':
                    if (!TryParseMedia(value, out media))
                    {
                        error = "Malformed SDP m= line";
                        return false;
                    }

                    result.Media.Add(media);
                    break;
                case 'a':
                    ParseAttribute(value, result, media);
                    break;
            }
        }

        if (first)
        {
            error = "Empty SDP";
            return false;
        }

        sdp = result;
        return true;
    }

    private static void ParseOrigin(ReadOnlySpan<char> value, SdpSessionDescription sdp)
    {
        // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
        Span<Range> parts = stackalloc Range[7];
        var n = value.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries);
        if (n >= 3)
        {
            sdp.OriginUsername = value[parts[0]].ToString();
            sdp.OriginSessionId = value[parts[1]].ToString();
            sdp.OriginSessionVersion = value[parts[2]].ToString();
        }
    }

    private static bool TryParseConnection(ReadOnlySpan<char> value, [NotNullWhen(true)] out string? address)
    {
        // c=<nettype> <addrtype> <connection-address>[/ttl][/count]
        address = null;
        Span<Range> parts = stackalloc Range[4];
        var n = value.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries);
        if (n != 3 || !value[parts[0]].SequenceEqual("IN"))
        {
            return false;
        }

        var addr = value[parts[2]];
        var slash = addr.IndexOf('/');
        address = (slash < 0 ? addr : addr[..slash]).ToString();
        return address.Length > 0;
    }

    private static bool TryParseMedia(ReadOnlySpan<char> value, [NotNullWhen(true)] out SdpMediaDescription? media)
    {
        // m=<media> <port>[/<number of ports>] <proto> <fmt> ...
        media = null;
        Span<Range> parts = stackalloc Range[64];
        var n = value.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries);
        if (n < 4)
        {
            return false;
        }

        var portText = value[parts[1]];
        var slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            portText = portText[..slash];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        var formats = new List<string>(n - 3);
        for (var i = 3; i < n; i++)
        {
            formats.Add(value[parts[i]].ToString());
        }

        media = new SdpMediaDescription(value[parts[0]].ToString(), port, value[parts[2]].ToString(), formats);
        return true;
    }

    private static void ParseAttribute(ReadOnlySpan<char> value, SdpSessionDescription sdp, SdpMediaDescription? media)
    {
        SdpDirection? direction = value switch
        {
            "sendrecv" => SdpDirection.SendRecv,
            "sendonly" => SdpDirection.SendOnly,
            "recvonly" => SdpDirection.RecvOnly,
            "inactive" => SdpDirection.Inactive,
            _ => null,
        };
        if (direction is not null)
        {
            if (media is null)
            {
                sdp.Direction = direction;
            }
            else
            {
                media.Direction = direction;
            }

            return;
        }

        if (media is null)
        {
            return;
        }

        if (value.StartsWith("rtpmap:"))
        {
            // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
            var rest = value[7..];
            var space = rest.IndexOf(' ');
            if (space <= 0 || !TryParseInt(rest[..space], out var pt))
            {
                return;
            }

            var encoding = rest[(space + 1)..].Trim();
            var firstSlash = encoding.IndexOf('/');
            if (firstSlash <= 0)
            {
                return;
            }

            var name = encoding[..firstSlash];
            var rateText = encoding[(firstSlash + 1)..];
            var channels = 1;
            var secondSlash = rateText.IndexOf('/');
            if (secondSlash >= 0)
            {
                _ = TryParseInt(rateText[(secondSlash + 1)..], out channels);
                rateText = rateText[..secondSlash];
            }

            if (TryParseInt(rateText, out var rate))
            {
                media.RtpMaps.Add(new SdpRtpMap(pt, name.ToString(), rate, channels));
            }
        }
        else if (value.StartsWith("fmtp:"))
        {
            var rest = value[5..];
            var space = rest.IndexOf(' ');
            if (space > 0 && TryParseInt(rest[..space], out var pt))
            {
                media.Fmtps[pt] = rest[(space + 1)..].Trim().ToString();
            }
        }
        else if (value.StartsWith("crypto:"))
        {
            // RFC 4568 §9.1; a malformed line is skipped like any attribute we cannot use.
            if (SdpCrypto.TryParse(value[7..], out var crypto))
            {
                media.Cryptos.Add(crypto!);
            }
        }
        else if (value.StartsWith("ptime:") && TryParseInt(value[6..].Trim(), out var ptime))
        {
            media.Ptime = ptime;
        }
    }

    private static bool TryParseInt(ReadOnlySpan<char> s, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
