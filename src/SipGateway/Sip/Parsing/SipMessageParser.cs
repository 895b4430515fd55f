using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Parsing;

/// <summary>
/// RFC 3261 §7 parser for one UDP datagram. The datagram memory must stay untouched while the message is alive:
/// header names and values are slices of it. Failures are returned, never thrown.
/// </summary>
public static class SipMessageParser
{
    /// <summary>Largest message accepted: the UDP maximum of RFC 3261 §18.1.1, and the bound for stream transports.</summary>
    public const int MaxMessageSize = 65_535;

    private const int BadRequest = 400;
    private const int RequestEntityTooLarge = 413;
    private const int VersionNotSupported = 505;

    public static SipParseResult Parse(ReadOnlyMemory<byte> datagram)
    {
        var span = datagram.Span;
        var pos = 0;
        if (span.Length > MaxMessageSize)
        {
            return Fail("Message Too Large", RequestEntityTooLarge, null, null);
        }

        // RFC 3261 §7.5: CRLFs before the start-line are ignored.
        while (pos < span.Length && span[pos] is (byte)'\r' or (byte)'\n')
        {
            pos++;
        }

        if (pos == span.Length)
        {
            return Fail("Empty message", BadRequest, null, null);
        }

        var lineEnd = SipHeaderReader.ReadLine(span, pos, out var next);
        var startLine = span[pos..lineEnd];
        if (next < 0)
        {
            return Fail("Incomplete start line", BadRequest, null, null);
        }

        var isResponse = startLine.StartsWith("SIP/"u8);
        string? method = null;
        string? requestUri = null;
        var statusCode = 0;
        string? reason = null;
        string? versionError = null;
        string? startLineError = isResponse
            ? ParseStatusLine(startLine, out statusCode, out reason, out versionError)
            : ParseRequestLine(startLine, out method, out requestUri, out versionError);
        if (startLineError is not null)
        {
            return Fail(startLineError, BadRequest, null, method);
        }

        var headers = new SipHeaders();
        var headerError = SipHeaderReader.ReadHeaders(datagram, next, headers, out var bodyStart);
        if (versionError is not null)
        {
            return Fail(versionError, VersionNotSupported, headers, method);
        }

        if (headerError is not null)
        {
            return Fail(headerError, BadRequest, headers, method);
        }

        // RFC 3261 §18.3: Content-Length bounds the body; on UDP extra octets are discarded, missing ones are an error.
        var available = span.Length - bodyStart;
        var bodyLength = available;
        var clIndex = headers.IndexOf(SipHeaderId.ContentLength);
        if (clIndex >= 0)
        {
            if (!SipHeaderReader.TryParseDigits(headers[clIndex].Value.Span, out var contentLength))
            {
                return Fail("Invalid Content-Length", BadRequest, headers, method);
            }

            // RFC 3261 §21.4.11: refuse a body larger than we would ever buffer, before waiting for or slicing it.
            if (contentLength > MaxMessageSize - bodyStart)
            {
                return Fail("Request Entity Too Large: Content-Length exceeds the 65535-octet message limit", RequestEntityTooLarge, headers, method);
            }

            if (contentLength > available)
            {
                return Fail("Content-Length exceeds body", BadRequest, headers, method);
            }

            bodyLength = contentLength;
        }

        var body = datagram.Slice(bodyStart, bodyLength);
        SipMessage message = isResponse
            ? new SipResponse(statusCode, reason!, headers, body)
            : new SipRequest(method!, requestUri!, headers, body);
        var semanticError = FillTypedHeaders(message, headers);
        return semanticError is null
            ? new SipParseResult(message, null)
            : Fail(semanticError, BadRequest, headers, method);
    }

    private static string? ParseRequestLine(ReadOnlySpan<byte> line, out string? method, out string? requestUri, out string? versionError)
    {
        method = null;
        requestUri = null;
        versionError = null;

        // Request-Line = Method SP Request-URI SP SIP-Version: exactly single spaces (RFC 4475 §3.1.2.8-10).
        var firstSp = line.IndexOf((byte)' ');
        var lastSp = line.LastIndexOf((byte)' ');
        if (firstSp <= 0 || lastSp == firstSp)
        {
            return "Malformed Request-Line";
        }

        var methodSpan = line[..firstSp];
        if (!SipGrammar.IsToken(methodSpan))
        {
            return "Malformed Request-Line: invalid method";
        }

        method = SipMethods.FromBytes(methodSpan);
        var uri = line[(firstSp + 1)..lastSp];
        if (uri.IsEmpty || uri.IndexOfAny((byte)' ', (byte)'\t') >= 0)
        {
            return "Malformed Request-Line: whitespace in Request-URI";
        }

        if (!HasUriScheme(uri))
        {
            return "Malformed Request-URI";
        }

        var version = line[(lastSp + 1)..];
        if (!version.SequenceEqual("SIP/2.0"u8))
        {
            if (!IsSipVersion(version))
            {
                return "Malformed Request-Line: bad SIP-Version";
            }

            versionError = "SIP Version Not Supported";
        }

        requestUri = Encoding.UTF8.GetString(uri);
        return null;
    }

    private static string? ParseStatusLine(ReadOnlySpan<byte> line, out int statusCode, out string? reason, out string? versionError)
    {
        statusCode = 0;
        reason = null;
        versionError = null;

        // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; Status-Code = 3DIGIT (RFC 3261 §7.2).
        var firstSp = line.IndexOf((byte)' ');
        if (firstSp < 0)
        {
            return "Malformed Status-Line";
        }

        var version = line[..firstSp];
        if (!version.SequenceEqual("SIP/2.0"u8))
        {
            if (!IsSipVersion(version))
            {
                return "Malformed Status-Line";
            }

            versionError = "SIP Version Not Supported";
        }

        var rest = line[(firstSp + 1)..];
        var secondSp = rest.IndexOf((byte)' ');
        var code = secondSp < 0 ? rest : rest[..secondSp];
        if (code.Length != 3 || !SipHeaderReader.IsDigits(code) || code[0] is < (byte)'1' or > (byte)'6')
        {
            return "Malformed Status-Code";
        }

        statusCode = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
        reason = secondSp < 0 ? string.Empty : Encoding.UTF8.GetString(rest[(secondSp + 1)..]);
        return null;
    }

    /// <summary>Parses the headers the transaction layer relies on, so that a parsed message is usable as is.</summary>
    private static string? FillTypedHeaders(SipMessage message, SipHeaders headers)
    {
        var firstVia = true;
        for (var i = 0; i < headers.Count; i++)
        {
            var h = headers[i];
            switch (h.Id)
            {
                case SipHeaderId.Via:
                    if (!ViaHeader.TryParse(h.Value.Span, out var via))
                    {
                        return "Malformed Via header";
                    }

                    if (firstVia)
                    {
                        message.TopVia = via;
                        firstVia = false;
                    }

                    break;
                case SipHeaderId.From:
                    if (!NameAddress.TryParse(h.GetValueString(), out var from))
                    {
                        return "Malformed From header";
                    }

                    message.From = from;
                    break;
                case SipHeaderId.To:
                    if (!NameAddress.TryParse(h.GetValueString(), out var to))
                    {
                        return "Malformed To header";
                    }

                    message.To = to;
                    break;
                case SipHeaderId.CSeq:
                    if (!CSeqHeader.TryParse(h.Value.Span, out var cseq))
                    {
                        return "Malformed CSeq header";
                    }

                    message.CSeq = cseq;
                    break;
                case SipHeaderId.CallId:
                    if (h.Value.IsEmpty)
                    {
                        return "Malformed Call-ID header";
                    }

                    message.CallId = h.GetValueString();
                    break;
                case SipHeaderId.MaxForwards:
                    // RFC 3261 §20.22: an integer in the range 0-255.
                    if (!SipHeaderReader.TryParseDigits(h.Value.Span, out var maxForwards) || maxForwards > 255)
                    {
                        return "Malformed Max-Forwards header";
                    }

                    message.MaxForwards = maxForwards;
                    break;
            }
        }

        // RFC 3261 §8.1.1.5 / RFC 4475 §3.1.2.17: the CSeq method must match the request method.
        if (message is SipRequest request && message.CSeq is { } c && !string.Equals(c.Method, request.Method, StringComparison.Ordinal))
        {
            return "CSeq method does not match request method";
        }

        return null;
    }

    private static bool HasUriScheme(ReadOnlySpan<byte> uri)
    {
        // absoluteURI / SIP-URI: scheme ":" ... with scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3261 §25.1).
        var colon = uri.IndexOf((byte)':');
        if (colon <= 0 || !char.IsAsciiLetter((char)uri[0]))
        {
            return false;
        }

        foreach (var b in uri[..colon])
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }

        return colon < uri.Length - 1;
    }

    private static bool IsSipVersion(ReadOnlySpan<byte> version)
    {
        // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT
        if (version.Length < 7 || !version.StartsWith("SIP/"u8))
        {
            return false;
        }

        var rest = version[4..];
        var dot = rest.IndexOf((byte)'.');
        return dot > 0 && SipHeaderReader.IsDigits(rest[..dot]) && SipHeaderReader.IsDigits(rest[(dot + 1)..]);
    }

    private static SipParseResult Fail(string reason, int statusCode, SipHeaders? headers, string? method) =>
        new(null, new SipParseError(reason, statusCode, headers, method));
}
