using System.Globalization;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>Requests that belong to an INVITE's own transaction: its CANCEL and the ACK of a non-2xx final response.</summary>
internal static class InviteDerivedRequests
{
    /// <summary>
    /// RFC 3261 §9.1: Request-URI, Call-ID, To, From, the CSeq number and the single Via (so the same branch) are
    /// those of the INVITE, as is Route; the method is CANCEL.
    /// </summary>
    public static SipRequest Cancel(SipRequest invite, uint cseq, string userAgent) =>
        Derive(invite, cseq, SipMethods.Cancel, invite.Headers.GetFirst(SipHeaderId.To)!, userAgent);

    /// <summary>
    /// RFC 3261 §17.1.1.3: the ACK of a 3xx-6xx has the INVITE's Request-URI, Call-ID, From, CSeq number, top Via and
    /// Route, and the To of the response (which carries the UAS's tag).
    /// </summary>
    public static SipRequest FailureAck(SipRequest invite, uint cseq, SipResponse response, string userAgent) =>
        Derive(invite, cseq, SipMethods.Ack, response.Headers.GetFirst(SipHeaderId.To) ?? invite.Headers.GetFirst(SipHeaderId.To)!, userAgent);

    private static SipRequest Derive(SipRequest invite, uint cseq, string method, string to, string userAgent)
    {
        var headers = new SipHeaders();
        headers.Add(SipHeaderId.Via, invite.Headers.GetFirst(SipHeaderId.Via)!);
        headers.Add(SipHeaderId.MaxForwards, "70");
        foreach (var route in invite.Headers.GetAll(SipHeaderId.Route))
        {
            headers.Add(SipHeaderId.Route, route);
        }

        headers.Add(SipHeaderId.From, invite.Headers.GetFirst(SipHeaderId.From)!);
        headers.Add(SipHeaderId.To, to);
        headers.Add(SipHeaderId.CallId, invite.Headers.GetFirst(SipHeaderId.CallId)!);
        headers.Add(SipHeaderId.CSeq, cseq.ToString(CultureInfo.InvariantCulture) + " " + method);
        headers.Add(SipHeaderId.UserAgent, userAgent);
        return new SipRequest(method, invite.RequestUri, headers);
    }
}
