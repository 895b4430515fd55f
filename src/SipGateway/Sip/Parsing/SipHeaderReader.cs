using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Parsing;

/// <summary>Header-section tokenizer: lines, folding (RFC 3261 §7.3.1), list splitting and singleton checks.</summary>
internal static class SipHeaderReader
{
    /// <summary>Tokenises header lines up to the empty line, unfolding continuations (RFC 3261 §7.3.1).</summary>
    internal static string? ReadHeaders(ReadOnlyMemory<byte> datagram, int pos, SipHeaders headers, out int bodyStart)
    {
        var span = datagram.Span;
        bodyStart = span.Length;
        var seenSingletons = 0L;
        while (pos < span.Length)
        {
            var lineEnd = ReadLine(span, pos, out var next);
            if (lineEnd == pos)
            {
                if (next < 0)
                {
                    break;
                }

                bodyStart = next;
                return null;
            }

            if (span[pos] is (byte)' ' or (byte)'\t')
            {
                return "Malformed header: continuation line without a header";
            }

            var colon = span[pos..lineEnd].IndexOf((byte)':');
            if (colon < 0)
            {
                return "Malformed header line";
            }

            var nameEnd = pos + colon;
            var nameStop = nameEnd;
            while (nameStop > pos && span[nameStop - 1] is (byte)' ' or (byte)'\t')
            {
                nameStop--;
            }

            var name = datagram[pos..nameStop];
            if (!SipGrammar.IsToken(name.Span))
            {
                return "Malformed header name";
            }

            // Folding: following lines that start with SP/HT continue this value.
            var valueStart = nameEnd + 1;
            var valueEnd = lineEnd;
            var folded = false;
            while (next >= 0 && next < span.Length && span[next] is (byte)' ' or (byte)'\t')
            {
                valueEnd = ReadLine(span, next, out next);
                folded = true;
            }

            if (next < 0)
            {
                return "Missing empty line after headers";
            }

            var value = TrimLws(datagram, valueStart, valueEnd);
            if (folded)
            {
                value = Unfold(value.Span);
            }

            var id = SipHeaderNames.Lookup(name.Span);
            if (SipHeaderNames.IsSingleton(id))
            {
                var bit = 1L << (int)id;
                if ((seenSingletons & bit) != 0)
                {
                    return "Duplicate header: " + SipHeaderNames.GetName(id);
                }

                seenSingletons |= bit;
            }

            if (SipHeaderNames.IsList(id) && value.Span.IndexOf((byte)',') >= 0)
            {
                var error = AddListElements(headers, id, name, value);
                if (error is not null)
                {
                    return error;
                }
            }
            else
            {
                headers.Add(new SipHeader(id, name, value));
            }

            pos = next;
        }

        return "Missing empty line after headers";
    }

    /// <summary>Splits "a, b, c" at commas outside quotes and angle brackets into one header entry per element.</summary>
    private static string? AddListElements(SipHeaders headers, SipHeaderId id, ReadOnlyMemory<byte> name, ReadOnlyMemory<byte> value)
    {
        var span = value.Span;
        var start = 0;
        var inQuotes = false;
        var inAngle = false;
        for (var i = 0; i <= span.Length; i++)
        {
            if (i < span.Length)
            {
                var b = span[i];
                if (inQuotes)
                {
                    if (b == '\\')
                    {
                        i++;
                    }
                    else if (b == '"')
                    {
                        inQuotes = false;
                    }

                    continue;
                }

                if (b == '"')
                {
                    inQuotes = true;
                    continue;
                }

                if (b == '<')
                {
                    inAngle = true;
                }
                else if (b == '>')
                {
                    inAngle = false;
                }

                if (b != ',' || inAngle)
                {
                    continue;
                }
            }

            var element = TrimLws(value, start, Math.Min(i, span.Length));
            if (element.IsEmpty)
            {
                // RFC 3261 §20.42: via-parm *(COMMA via-parm) has no empty elements (RFC 4475 §3.1.2.1).
                if (id == SipHeaderId.Via)
                {
                    return "Malformed Via header";
                }
            }
            else
            {
                headers.Add(new SipHeader(id, name, element));
            }

            start = i + 1;
        }

        return inQuotes ? "Malformed header: unterminated quoted string" : null;
    }

    internal static int ReadLine(ReadOnlySpan<byte> span, int pos, out int next)
    {
        var lf = span[pos..].IndexOf((byte)'\n');
        if (lf < 0)
        {
            next = -1;
            return span.Length;
        }

        lf += pos;
        next = lf + 1;
        return lf > pos && span[lf - 1] == '\r' ? lf - 1 : lf;
    }

    internal static ReadOnlyMemory<byte> TrimLws(ReadOnlyMemory<byte> memory, int start, int end)
    {
        var span = memory.Span;
        while (start < end && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        while (end > start && span[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            end--;
        }

        return memory[start..end];
    }

    /// <summary>Replaces each line break and the whitespace around it with one SP (RFC 3261 §7.3.1).</summary>
    private static byte[] Unfold(ReadOnlySpan<byte> value)
    {
        var output = new byte[value.Length];
        var n = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is (byte)'\r' or (byte)'\n')
            {
                while (n > 0 && output[n - 1] is (byte)' ' or (byte)'\t')
                {
                    n--;
                }

                while (i + 1 < value.Length && value[i + 1] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t')
                {
                    i++;
                }

                output[n++] = (byte)' ';
            }
            else
            {
                output[n++] = value[i];
            }
        }

        return output[..n];
    }

    internal static bool TryParseDigits(ReadOnlySpan<byte> value, out int length)
    {
        length = 0;
        if (value.IsEmpty || value.Length > 9 || !IsDigits(value))
        {
            return false;
        }

        foreach (var b in value)
        {
            length = (length * 10) + (b - '0');
        }

        return true;
    }

    internal static bool IsDigits(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return !s.IsEmpty;
    }
}
