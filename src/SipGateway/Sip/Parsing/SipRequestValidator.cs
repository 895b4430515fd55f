using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Parsing;

/// <summary>
/// Checks a syntactically valid request for the header fields RFC 3261 §8.1.1 makes mandatory. Kept apart from the
/// parser because the parser must still return such requests (RFC 4475 §3.3.1 leaves the decision to the element).
/// </summary>
public static class SipRequestValidator
{
    private static readonly SipHeaderId[] Mandatory =
        [SipHeaderId.To, SipHeaderId.From, SipHeaderId.CSeq, SipHeaderId.CallId, SipHeaderId.MaxForwards, SipHeaderId.Via];

    /// <summary>Returns null when valid, else a reason such as "Missing mandatory header: Call-ID".</summary>
    public static string? Validate(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var id in Mandatory)
        {
            if (!request.Headers.Contains(id))
            {
                return MissingReasons[(int)id];
            }
        }

        return null;
    }

    private static readonly string[] MissingReasons = BuildReasons();

    private static string[] BuildReasons()
    {
        var reasons = new string[Enum.GetValues<SipHeaderId>().Length];
        foreach (var id in Mandatory)
        {
            reasons[(int)id] = "Missing mandatory header: " + SipHeaderNames.GetName(id);
        }

        return reasons;
    }
}
