using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// Finds message boundaries in a SIP byte stream (RFC 3261 §18.3): the header block ends at the first empty line and
/// Content-Length, mandatory on stream transports, gives the body length. Enforces the size limits before anything is
/// buffered beyond them, so a peer cannot make a connection hold more than <c>maxMessageBytes</c>.
/// </summary>
internal static class TcpSipFramer
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    public static TcpFrame Next(in ReadOnlySequence<byte> buffer, int maxHeaderBytes, int maxMessageBytes)
    {
        var reader = new SequenceReader<byte>(buffer);
        var leading = reader.AdvancePastAny((byte)'\r', (byte)'\n');
        if (leading > 0)
        {
            return LeadingLineBreaks(buffer, leading, reader.End);
        }

        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, HeaderEnd, advancePastDelimiter: true))
        {
            return buffer.Length > maxHeaderBytes
                ? TcpFrame.Fail(513, "Message Too Large")
                : TcpFrame.NeedMore;
        }

        var headerLength = checked((int)reader.Consumed);
        if (headerLength > maxHeaderBytes)
        {
            return TcpFrame.Fail(513, "Message Too Large");
        }

        var contentLength = FindContentLength(head);
        if (contentLength == ContentLengthMissing)
        {
            return TcpFrame.Fail(400, "Missing Content-Length", headerLength);
        }

        if (contentLength < 0)
        {
            return TcpFrame.Fail(400, "Bad Content-Length", headerLength);
        }

        if ((long)headerLength + contentLength > maxMessageBytes)
        {
            // RFC 3261 §21.4.11: the body is larger than we are willing to process.
            return TcpFrame.Fail(413, "Request Entity Too Large", headerLength);
        }

        var total = headerLength + (int)contentLength;
        return buffer.Length >= total ? new TcpFrame(TcpFrameKind.Message, total) : TcpFrame.NeedMore;
    }

    private const long ContentLengthMissing = -1;
    private const long ContentLengthInvalid = -2;

    /// <summary>
    /// A double CRLF is a ping (RFC 5626 §3.5.1); any other run of CR/LF before a start line is ignored
    /// (RFC 3261 §7.5). A run that may still grow into a ping waits for more bytes.
    /// </summary>
    private static TcpFrame LeadingLineBreaks(in ReadOnlySequence<byte> buffer, long leading, bool atEnd)
    {
        Span<byte> first = stackalloc byte[4];
        if (leading >= 4)
        {
            buffer.Slice(0, 4).CopyTo(first);
            if (first.SequenceEqual(HeaderEnd))
            {
                return new TcpFrame(TcpFrameKind.Ping, 4);
            }
        }
        else if (atEnd)
        {
            buffer.CopyTo(first);
            return HeaderEnd.StartsWith(first[..(int)leading]) ? TcpFrame.NeedMore : new TcpFrame(TcpFrameKind.Skip, (int)leading);
        }

        return new TcpFrame(TcpFrameKind.Skip, (int)Math.Min(leading, int.MaxValue));
    }

    /// <summary>Content-Length or its compact form "l" (RFC 3261 §7.3.3, §20.14); -1 when absent, -2 when invalid.</summary>
    private static long FindContentLength(in ReadOnlySequence<byte> head)
    {
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> block;
            if (head.IsSingleSegment)
            {
                block = head.FirstSpan;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)head.Length);
                head.CopyTo(rented);
                block = rented.AsSpan(0, (int)head.Length);
            }

            return FindContentLength(block);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static long FindContentLength(ReadOnlySpan<byte> block)
    {
        var result = ContentLengthMissing;
        var isStartLine = true;
        while (!block.IsEmpty)
        {
            var end = block.IndexOf("\r\n"u8);
            var line = end < 0 ? block : block[..end];
            block = end < 0 ? default : block[(end + 2)..];
            if (isStartLine)
            {
                isStartLine = false;
                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].TrimEnd(" \t"u8);
            if (!Ascii.EqualsIgnoreCase(name, "Content-Length"u8) && !Ascii.EqualsIgnoreCase(name, "l"u8))
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (!Utf8Parser.TryParse(value, out long length, out var consumed) || consumed != value.Length || length < 0)
            {
                return ContentLengthInvalid;
            }

            if (result >= 0 && result != length)
            {
                // Two different lengths leave the boundary ambiguous: a request-smuggling shape, so refuse it.
                return ContentLengthInvalid;
            }

            result = length;
        }

        return result;
    }
}
