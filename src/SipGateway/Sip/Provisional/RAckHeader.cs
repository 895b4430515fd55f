using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Provisional;

/// <summary>
/// RAck of a PRACK (RFC 3262 §7.2: <c>RAck = "RAck" HCOLON response-num LWS CSeq-num LWS Method</c>): the RSeq, CSeq
/// number and method of the reliable provisional response it acknowledges.
/// </summary>
/// <param name="ResponseNumber">The RSeq acknowledged (1 to 2**32 - 1).</param>
/// <param name="CSeqNumber">The CSeq number of the request the provisional response answered.</param>
/// <param name="Method">That request's method (INVITE for us).</param>
public readonly record struct RAckHeader(uint ResponseNumber, uint CSeqNumber, string Method)
{
    /// <summary>
    /// Parses the value without allocating for known methods (<see cref="SipMethods.FromBytes"/> returns the interned
    /// name): three fields separated by linear whitespace, a non-zero response-num, a CSeq-num below 2**31
    /// (RFC 3261 §8.1.1.5) and a token method. Anything else is malformed.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out RAckHeader rack)
    {
        rack = default;
        var rest = value.Trim(" \t"u8);
        if (!TakeField(ref rest, out var responseField) || !TakeField(ref rest, out var cseqField) || rest.IsEmpty)
        {
            return false;
        }

        if (rest.IndexOfAny(" \t"u8) >= 0 || !SipGrammar.IsToken(rest))
        {
            return false;
        }

        if (!RSeqHeader.TryParseNumber(responseField, out var response) || response == 0
            || !RSeqHeader.TryParseNumber(cseqField, out var cseq) || cseq > CSeqHeader.MaxNumber)
        {
            return false;
        }

        rack = new RAckHeader(response, cseq, SipMethods.FromBytes(rest));
        return true;
    }

    /// <summary>The RAck of a request, or null when it has none or a malformed one.</summary>
    internal static RAckHeader? Of(SipMessage message)
    {
        var i = message.Headers.IndexOf(SipHeaderId.RAck);
        return i >= 0 && TryParse(message.Headers[i].Value.Span, out var rack) ? rack : null;
    }

    /// <summary>The header value for a PRACK acknowledging <paramref name="rseq"/> of a response to <paramref name="cseq"/>.</summary>
    public static string Format(uint rseq, CSeqHeader cseq) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{rseq} {cseq.Number} {cseq.Method}");

    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ResponseNumber} {CSeqNumber} {Method}");

    // One field and the whitespace after it; false when the field is empty or no whitespace follows.
    private static bool TakeField(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> field)
    {
        var end = rest.IndexOfAny(" \t"u8);
        if (end <= 0)
        {
            field = default;
            return false;
        }

        field = rest[..end];
        rest = rest[end..].TrimStart(" \t"u8);
        return true;
    }
}
