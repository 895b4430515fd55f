using System.Globalization;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>What identifies a server transaction (RFC 3261 §17.2.3).</summary>
internal static class ServerTransactionKey
{
    /// <summary>
    /// The top Via's branch plus sent-by; requests without an RFC 3261 branch (RFC 2543 clients) fall back to the
    /// dialog fields, CSeq number and the branch they did send. The method is not part: CANCEL and ACK share their
    /// INVITE's key (§9.2, §17.2.3), and non-INVITE requests prefix it with their method.
    /// </summary>
    public static string Of(SipRequest request)
    {
        var via = request.TopVia!;
        var sentBy = via.Port is { } port ? via.Host + ":" + port.ToString(CultureInfo.InvariantCulture) : via.Host;
        return via.HasRfc3261Branch
            ? via.Branch + "|" + sentBy
            : string.Join('|', "2543", request.CallId, request.CSeq!.Value.Number.ToString(CultureInfo.InvariantCulture), request.From!.Tag, sentBy, via.Branch);
    }
}
