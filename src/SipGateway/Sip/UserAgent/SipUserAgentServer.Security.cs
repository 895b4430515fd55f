using System.Net;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>The hook to <see cref="SipRequestFilter"/>: access control before a request reaches the UAS logic.</summary>
public sealed partial class SipUserAgentServer
{
    /// <summary>False when the filter dropped or answered the request itself.</summary>
    private bool PassesFilter(SipRequest request, SipEndPoint remote, SipEndPoint destination)
    {
        if (_filter is null)
        {
            return true;
        }

        var decision = _filter.Check(request, remote.Address, IsFromDialogPeer(request, remote));
        switch (decision.Action)
        {
            case FilterAction.Accept:
                return true;
            case FilterAction.Reject:
                // Stateless answer (RFC 3261 §8.2.7): a retransmission simply gets a fresh one, with a fresh nonce.
                var response = CreateResponse(request, decision.StatusCode, decision.Reason!);
                foreach (var (name, value) in decision.Headers)
                {
                    response.Headers.Add(name, value);
                }

                Send(response.ToBytes(), destination);
                return false;
            default:
                SipUasMetrics.Dropped.Add(1);
                return false;
        }
    }

    /// <summary>In-dialog request (our tag in To) from the address the dialog's INVITE came from.</summary>
    private bool IsFromDialogPeer(SipRequest request, SipEndPoint remote)
    {
        lock (_sync)
        {
            return _dialogs.ByOurTag(request) is { } dialog && dialog.RemoteSignalling.Address.Equals(remote.Address.Address);
        }
    }
}
