namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>Character classes of the RFC 3261 §25.1 grammar.</summary>
internal static class SipGrammar
{
    // token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    public static bool IsTokenChar(byte b) => b < 0x80 && IsTokenChar((char)b);

    public static bool IsLws(char c) => c is ' ' or '\t' or '\r' or '\n';

    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsToken(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var b in s)
        {
            if (!IsTokenChar(b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Index of the closing quote of the quoted-string starting at <paramref name="openQuote"/>; -1 if unterminated.</summary>
    public static int FindQuotedStringEnd(ReadOnlySpan<char> s, int openQuote)
    {
        for (var i = openQuote + 1; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++; // quoted-pair (RFC 3261 §25.1)
            }
            else if (s[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Index of the first <paramref name="target"/> outside quoted strings and angle brackets, or -1.</summary>
    public static int IndexOfUnquoted(ReadOnlySpan<char> s, char target, int start = 0)
    {
        var inAngle = false;
        for (var i = start; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '"')
            {
                var end = FindQuotedStringEnd(s, i);
                if (end < 0)
                {
                    return -1;
                }

                i = end;
            }
            else if (c == '<')
            {
                inAngle = true;
            }
            else if (c == '>')
            {
                inAngle = false;
            }
            else if (c == target && !inAngle)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Decodes %HH escapes (RFC 3261 §19.1.2); invalid escapes are kept literally.</summary>
    public static string Unescape(ReadOnlySpan<char> s)
    {
        if (s.IndexOf('%') < 0)
        {
            return s.ToString();
        }

        var bytes = new List<byte>(s.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && char.IsAsciiHexDigit(s[i + 1]) && char.IsAsciiHexDigit(s[i + 2]))
            {
                bytes.Add((byte)((HexValue(s[i + 1]) << 4) | HexValue(s[i + 2])));
                i += 2;
            }
            else
            {
                var n = System.Text.Encoding.UTF8.GetBytes(s.Slice(i, 1), utf8);
                for (var k = 0; k < n; k++)
                {
                    bytes.Add(utf8[k]);
                }
            }
        }

        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
