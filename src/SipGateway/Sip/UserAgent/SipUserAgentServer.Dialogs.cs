using System.Net;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>In-dialog BYE in both directions (RFC 3261 §15) and the BYE client transaction (§17.1.2).</summary>
public sealed partial class SipUserAgentServer
{
    private const int DefaultSipPort = 5060;

    private void HandleBye(SipRequest bye, string cacheKey, SipEndPoint destination)
    {
        SipDialog? ended = null;
        var notify = false;
        lock (_sync)
        {
            // BYE also reaches a dialog we are already ending (BYE glare), so ended dialogs count (RFC 3261 §15.1.2).
            if (_dialogs.Find(bye, includeEnded: true) is { } dialog)
            {
                ended = dialog;
                notify = dialog.TryMarkTerminated();
                _dialogs.Remove(dialog.Id);
                if (dialog.Invite.State == InviteTransactionState.Accepted)
                {
                    dialog.Invite.Terminate(_timeout64T1);
                }
            }
        }

        if (ended is null)
        {
            // RFC 3261 §12.2.2: a request for a dialog we do not have gets 481.
            RespondNonInvite(CreateResponse(bye, 481, "Call/Transaction Does Not Exist"), cacheKey, destination);
            return;
        }

        RespondNonInvite(CreateResponse(bye, 200, "OK"), cacheKey, destination);
        ended.Invite.StopRetransmissions();
        if (notify)
        {
            NotifyTerminated(ended.Id, CallTermination.Caller, CallTermination.ReasonBye);
        }
    }

    private async Task SendByeAndRemoveAsync(SipDialog dialog, CancellationToken cancellationToken, string? reason = null)
    {
        try
        {
            var status = await SendByeAsync(dialog, reason, cancellationToken);
            if (status >= 300 && _logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("BYE for {DialogId} answered {Status}", LogText.Safe(dialog.Id), status);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down or the caller gave up waiting; the dialog is ended either way.
        }
        finally
        {
            lock (_sync)
            {
                _dialogs.Remove(dialog.Id);
            }
        }
    }

    /// <summary>Non-INVITE client transaction over UDP (RFC 3261 §17.1.2.2): Timer E doubles to T2, Timer F gives up after 64*T1 (408).</summary>
    private async Task<int> SendByeAsync(SipDialog dialog, string? reason, CancellationToken cancellationToken)
    {
        var (bytes, destination, branch) = PrepareBye(dialog, reason);
        return await _clientTransactions.RunAsync(bytes, destination, branch, cancellationToken);
    }

    /// <summary>Builds the next BYE in the dialog (RFC 3261 §12.2.1.1), with an RFC 3326 Reason when given, and where to send it.</summary>
    private (byte[] Bytes, SipEndPoint Destination, string Branch) PrepareBye(SipDialog dialog, string? reason = null)
    {
        var branch = "z9hG4bK" + NewToken();
        uint cseq;
        lock (_sync)
        {
            cseq = ++dialog.LocalCSeq;
        }

        // In-dialog requests use the dialog's transport; on TCP the INVITE's connection while it stays open (§18.1.1).
        var request = BuildInDialogRequest(
            dialog, SipMethods.Bye, branch, cseq, reason is null ? null : h => h.Add("Reason", reason), contentType: null, body: null);

        // RFC 3261 Table 3: Contact has no place in a BYE.
        request.Headers.RemoveAll(SipHeaderId.Contact);
        return (request.ToBytes(), InDialogDestination(dialog), branch);
    }

    /// <summary>
    /// Where our in-dialog requests go: the next hop, over the transport the dialog was set up on, reusing the
    /// caller's connection while it is open (RFC 3261 §18.1.1).
    /// </summary>
    private static SipEndPoint InDialogDestination(SipDialog dialog) =>
        dialog.Invite.ResponseDestination with { Address = ResolveNextHop(dialog) };

    /// <summary>
    /// Next hop: the first Route (loose routing assumed) or the remote target. Host names are not resolved (no
    /// RFC 3263 here); for them, and for anything unparsable, the INVITE's source address is used.
    /// </summary>
    private static IPEndPoint ResolveNextHop(SipDialog dialog)
    {
        var uri = dialog.RemoteTarget;
        if (dialog.RouteSet.Count > 0 && NameAddress.TryParse(dialog.RouteSet[0], out var route))
        {
            uri = route.Uri;
        }

        if (SipUri.TryParse(uri, out var sipUri) && IPAddress.TryParse(sipUri.Host.Trim('[', ']'), out var address))
        {
            return new IPEndPoint(address, sipUri.Port ?? DefaultSipPort);
        }

        return dialog.RemoteSignalling;
    }

    /// <summary>The UAS only sends in-dialog non-INVITE requests, so responses either complete one of those transactions or are dropped.</summary>
    private void HandleResponse(SipResponse response)
    {
        // Outbound registration shares this socket; its transactions claim their responses first.
        if (ResponseInterceptor?.Invoke(response) == true || TryHandleReInviteResponse(response) || _outbound.TryHandleResponse(response))
        {
            return;
        }

        if (!_clientTransactions.TryComplete(response) && response.StatusCode >= 200)
        {
            SipUasMetrics.Dropped.Add(1);
        }
    }
}
