using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>Builds responses per RFC 3261 §8.2.6.2 by copying the request's Via, From, To, Call-ID and CSeq entries.</summary>
internal static class SipResponseFactory
{
    public static SipResponse Create(SipHeaders requestHeaders, int statusCode, string reason, string? toTag, string serverName)
    {
        var headers = new SipHeaders();
        foreach (var h in requestHeaders)
        {
            switch (h.Id)
            {
                case SipHeaderId.Via:
                case SipHeaderId.From:
                case SipHeaderId.CallId:
                case SipHeaderId.CSeq:
                    headers.Add(h);
                    break;
                case SipHeaderId.To:
                    // RFC 3261 §8.2.6.2: add our tag unless the request already had one (or this is 100 Trying).
                    headers.Add(toTag is not null && !HasTag(h.GetValueString())
                        ? SipHeader.Create(SipHeaderId.To, h.GetValueString() + ";tag=" + toTag)
                        : h);
                    break;
            }
        }

        headers.Add(SipHeaderId.Server, serverName);
        return new SipResponse(statusCode, Sanitize(reason), headers);
    }

    /// <summary>
    /// True when enough of a broken request was read for its sender to match a response: the client transaction is
    /// found by the top Via branch and the CSeq method (RFC 3261 §17.1.3), so a request missing From, To or Call-ID
    /// still gets its 400 naming the missing header.
    /// </summary>
    public static bool CanAnswer(SipHeaders headers) => headers.Contains(SipHeaderId.Via) && headers.Contains(SipHeaderId.CSeq);

    private static bool HasTag(string nameAddr) =>
        NameAddress.TryParse(nameAddr, out var parsed) ? parsed.Tag is not null : nameAddr.Contains(";tag=", StringComparison.OrdinalIgnoreCase);

    /// <summary>A reason phrase must not contain CR or LF (RFC 3261 §25.1 Reason-Phrase).</summary>
    private static string Sanitize(string reason) =>
        reason.AsSpan().IndexOfAny('\r', '\n') < 0 ? reason : reason.Replace('\r', ' ').Replace('\n', ' ');
}
