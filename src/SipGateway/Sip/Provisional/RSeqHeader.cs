using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Provisional;

/// <summary>
/// RSeq, the sequence number of a reliable provisional response (RFC 3262 §7.1: <c>RSeq = "RSeq" HCOLON response-num</c>,
/// <c>response-num = 1*DIGIT</c>, between 1 and 2**32 - 1).
/// </summary>
public static class RSeqHeader
{
    /// <summary>Parses a response-num without allocating: digits only, 1 to 2**32 - 1, surrounding whitespace allowed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out uint number)
    {
        number = 0;
        var digits = value.Trim(" \t"u8);
        return TryParseNumber(digits, out number) && number != 0;
    }

    /// <summary>Formats the header value.</summary>
    public static string Format(uint number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A run of decimal digits that fits in 32 bits; leading zeros allowed, nothing else.</summary>
    internal static bool TryParseNumber(ReadOnlySpan<byte> digits, out uint number)
    {
        number = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        ulong value = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (uint)(b - '0');
            if (value > uint.MaxValue)
            {
                return false;
            }
        }

        number = (uint)value;
        return true;
    }

    /// <summary>The RSeq of a response, or null when it has none or a malformed one.</summary>
    internal static uint? Of(SipMessage message)
    {
        var i = message.Headers.IndexOf(SipHeaderId.RSeq);
        return i >= 0 && TryParse(message.Headers[i].Value.Span, out var n) ? n : null;
    }
}
