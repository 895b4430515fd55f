using System.Globalization;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Diagnostics;

/// <summary>
/// Makes a value taken from a SIP message safe to write to a log or a trace tag. Header values such as Call-ID may
/// carry bytes a peer chose (RFC 3261 §25.1 allows little, but a hostile or broken peer sends anything): a raw CR, LF,
/// ESC or NUL in a log line forges entries or drives a terminal. Control characters become \xNN, and a value is cut at
/// <see cref="MaxLength"/> characters so one header cannot fill the log.
/// </summary>
public static class LogText
{
    /// <summary>Longest value written; longer ones end in "…".</summary>
    public const int MaxLength = 256;

    /// <summary>The value as it may appear in a log: control characters (C0, DEL, C1) escaped, length bounded.</summary>
    public static string Safe(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        var length = Math.Min(value.Length, MaxLength);
        if (value.Length <= MaxLength && value.AsSpan().IndexOfAnyInRange('\0', '\x1F') < 0 && value.AsSpan().IndexOfAnyInRange('\x7F', '\x9F') < 0)
        {
            return value;
        }

        var builder = new StringBuilder(length + 16);
        foreach (var c in value.AsSpan(0, length))
        {
            if (c < 0x20 || c is >= '\x7F' and <= '\x9F')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        if (value.Length > MaxLength)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }
}
