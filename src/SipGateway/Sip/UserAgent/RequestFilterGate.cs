using System.Net;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// The user agent's front door to <see cref="SipRequestFilter"/>: it tells the filter whether a request comes from the
/// peer of one of our dialogs, and carries out its decision: let the request through, answer it statelessly
/// (RFC 3261 §8.2.7: a retransmission simply gets a fresh answer, with a fresh nonce) or drop it, counted.
/// </summary>
internal sealed class RequestFilterGate
{
    private readonly SipRequestFilter _filter;
    private readonly SipDialogHost _host;
    private readonly DialogTable _dialogs;

    public RequestFilterGate(SipRequestFilter filter, SipDialogHost host, DialogTable dialogs)
    {
        _filter = filter;
        _host = host;
        _dialogs = dialogs;
    }

    /// <summary>The per-source rate limit and block list, before the datagram is even parsed.</summary>
    public bool AdmitsDatagram(IPEndPoint source) => _filter.AdmitDatagram(source);

    /// <summary>False when the filter dropped or answered the request itself.</summary>
    public bool Admits(SipRequest request, SipEndPoint remote, SipEndPoint destination)
    {
        var decision = _filter.Check(request, remote.Address, IsFromDialogPeer(request, remote));
        switch (decision.Action)
        {
            case FilterAction.Accept:
                return true;
            case FilterAction.Reject:
                var response = _host.CreateResponse(request, decision.StatusCode, decision.Reason!);
                foreach (var (name, value) in decision.Headers)
                {
                    response.Headers.Add(name, value);
                }

                _host.Send(response.ToBytes(), destination);
                return false;
            default:
                SipUasMetrics.Dropped.Add(1);
                return false;
        }
    }

    /// <summary>In-dialog request (our tag in To) from the address the dialog's INVITE came from.</summary>
    private bool IsFromDialogPeer(SipRequest request, SipEndPoint remote)
    {
        lock (_host.Sync)
        {
            return _dialogs.ByOurTag(request) is { } dialog && dialog.RemoteSignalling.Address.Equals(remote.Address.Address);
        }
    }
}
