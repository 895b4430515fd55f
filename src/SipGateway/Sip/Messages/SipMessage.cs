using System.Globalization;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>
/// Common part of requests and responses. The typed views (<see cref="TopVia"/>, <see cref="From"/>, ...) are filled
/// by the parser, which has to parse those headers anyway to validate them; messages built in code leave them null
/// and carry everything in <see cref="Headers"/>.
/// </summary>
public abstract class SipMessage
{
    protected SipMessage(SipHeaders headers, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Headers = headers;
        Body = body;
    }

    public SipHeaders Headers { get; }

    public ReadOnlyMemory<byte> Body { get; set; }

    public ViaHeader? TopVia { get; internal set; }

    public NameAddress? From { get; internal set; }

    public NameAddress? To { get; internal set; }

    public CSeqHeader? CSeq { get; internal set; }

    public string? CallId { get; internal set; }

    public int? MaxForwards { get; internal set; }

    public string? ContentType => Headers.GetFirst(SipHeaderId.ContentType);

    /// <summary>Serialises the message. Content-Length is always written from the actual body (RFC 3261 §18.3).</summary>
    public byte[] ToBytes()
    {
        var startLine = GetStartLine();
        var contentLength = Body.Length.ToString(CultureInfo.InvariantCulture);
        var size = Encoding.UTF8.GetByteCount(startLine) + 2;
        foreach (var h in Headers)
        {
            if (h.Id != SipHeaderId.ContentLength)
            {
                size += NameOf(h).Length + 2 + h.Value.Length + 2;
            }
        }

        size += "Content-Length: ".Length + contentLength.Length + 4 + Body.Length;
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        var pos = Encoding.UTF8.GetBytes(startLine, span);
        pos += Write(span[pos..], "\r\n"u8);
        foreach (var h in Headers)
        {
            if (h.Id == SipHeaderId.ContentLength)
            {
                continue;
            }

            pos += Write(span[pos..], NameOf(h));
            pos += Write(span[pos..], ": "u8);
            pos += Write(span[pos..], h.Value.Span);
            pos += Write(span[pos..], "\r\n"u8);
        }

        pos += Write(span[pos..], "Content-Length: "u8);
        pos += Encoding.ASCII.GetBytes(contentLength, span[pos..]);
        pos += Write(span[pos..], "\r\n\r\n"u8);
        pos += Write(span[pos..], Body.Span);
        return pos == buffer.Length ? buffer : buffer[..pos];
    }

    public override string ToString() => Encoding.UTF8.GetString(ToBytes());

    /// <summary>The request-line or status-line without CRLF.</summary>
    protected abstract string GetStartLine();

    private static ReadOnlySpan<byte> NameOf(in SipHeader h) =>
        h.Id == SipHeaderId.Unknown ? h.RawName.Span : SipHeaderNames.GetNameBytes(h.Id);

    private static int Write(Span<byte> destination, ReadOnlySpan<byte> source)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
