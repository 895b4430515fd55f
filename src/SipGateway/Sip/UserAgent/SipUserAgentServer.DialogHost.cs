using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <content>
/// The user agent as <see cref="IDialogHost"/>: what dialog usages (<see cref="SessionTimer"/>, transfers, re-INVITEs)
/// call to send in-dialog requests through the transaction layer and to end a call; BYE in both directions
/// (RFC 3261 §15) and the routing of responses to our client transactions.
/// </content>
public sealed partial class SipUserAgentServer : IDialogHost
{
    private readonly Dictionary<string, ReInviteClientTransaction> _reInviteClients = new(StringComparer.Ordinal);

    Lock IDialogHost.Sync => _sync;

    CancellationToken IDialogHost.Stopping => _stopping.Token;

    ILogger IDialogHost.Logger => _logger;

    Task<int> IDialogHost.SendInDialogRequestAsync(
        SipDialog dialog, string method, Action<SipHeaders>? addHeaders, string? contentType, byte[]? body, CancellationToken cancellationToken) =>
        SendInDialogRequestAsync(dialog, method, addHeaders, contentType, body, cancellationToken);

    Task<int> IDialogHost.SendReInviteAsync(SipDialog dialog, Action<SipHeaders> addHeaders, CancellationToken cancellationToken) =>
        SendReInviteAsync(dialog, addHeaders, cancellationToken);

    Task<bool> IDialogHost.EndAsync(SipDialog dialog, string reason, string? byeReason) => EndDialogAsync(dialog, reason, byeReason);

    SipOptions IDialogHost.Options => _options;

    string IDialogHost.LocalContact(SipDialog dialog) => LocalContact(dialog);

    IReadOnlyList<AudioCodec> IDialogHost.Codecs => _codecs;

    SipResponse IDialogHost.CreateResponse(SipRequest request, int statusCode, string reason) => CreateResponse(request, statusCode, reason);

    Task IDialogHost.RetransmitFinalAsync(InviteServerTransaction tx) => RetransmitFinalAsync(tx);

    Task<int> IDialogHost.RunClientTransactionAsync(byte[] bytes, SipEndPoint destination, string branch, CancellationToken cancellationToken) =>
        _clientTransactions.RunAsync(bytes, destination, branch, cancellationToken);

    SipEndPoint IDialogHost.InDialogDestination(SipDialog dialog) => InDialogDestination(dialog);

    async Task IDialogHost.HangUpUnreportedAsync(SipDialog dialog, string? reason)
    {
        if (dialog.TryMarkTerminated())
        {
            await SendByeAndRemoveAsync(dialog, CancellationToken.None, reason);
        }
    }

    void IDialogHost.Send(byte[] bytes, SipEndPoint destination) => Send(bytes, destination);

    string IDialogHost.NewToken() => NewToken();

    SipRequest IDialogHost.BuildInDialogRequest(
        SipDialog dialog, string method, string branch, uint cseq, Action<SipHeaders>? addHeaders, string? contentType, byte[]? body) =>
        BuildInDialogRequest(dialog, method, branch, cseq, addHeaders, contentType, body);

    void IDialogHost.NotifyMediaUpdated(string dialogId, MediaUpdate update) => NotifyMediaUpdated(dialogId, update);

    /// <summary>Sends a re-INVITE offering our last SDP unchanged and returns the final status (408 on Timer B).</summary>
    private async Task<int> SendReInviteAsync(SipDialog dialog, Action<SipHeaders> addHeaders, CancellationToken cancellationToken)
    {
        var branch = "z9hG4bK" + NewToken();
        uint cseq;
        byte[] offer;
        lock (_sync)
        {
            cseq = ++dialog.LocalCSeq;
            offer = dialog.InDialog.Media!.LastLocalSdp;
        }

        var bytes = BuildInDialogRequest(dialog, SipMethods.Invite, branch, cseq, addHeaders, "application/sdp", offer).ToBytes();
        var client = new ReInviteClientTransaction(dialog, cseq, InDialogDestination(dialog), bytes, this);
        lock (_sync)
        {
            _reInviteClients[branch] = client;
        }

        try
        {
            return await client.RunAsync(_options.T1, cancellationToken);
        }
        finally
        {
            // Keep the entry for 64*T1 so retransmitted final responses are ACKed again (§13.2.2.4); then forget it.
            _ = Task.Delay(_timeout64T1, CancellationToken.None).ContinueWith(
                _ =>
                {
                    lock (_sync)
                    {
                        _reInviteClients.Remove(branch);
                    }
                },
                TaskScheduler.Default);
        }
    }

    /// <summary>Responses to our re-INVITEs, matched by branch and CSeq; false for anything else.</summary>
    private bool TryHandleReInviteResponse(SipResponse response)
    {
        ReInviteClientTransaction? client;
        lock (_sync)
        {
            if (response.TopVia?.Branch is not { } branch || !_reInviteClients.TryGetValue(branch, out client)
                || response.CSeq is not { Method: SipMethods.Invite } cseq || cseq.Number != client.CSeq)
            {
                return false;
            }
        }

        client.OnResponse(response);
        return true;
    }

    /// <summary>Ends the call from our side once: no more 2xx retransmissions, the handler told, BYE sent.</summary>
    private async Task<bool> EndDialogAsync(SipDialog dialog, string reason, string? byeReason = null)
    {
        if (!dialog.TryMarkTerminated())
        {
            return false;
        }

        dialog.Invite.StopRetransmissions();
        NotifyTerminated(dialog.Id, CallTermination.Gateway, reason);
        await SendByeAndRemoveAsync(dialog, CancellationToken.None, byeReason);
        return true;
    }

    /// <summary>Builds and runs a non-INVITE client transaction in the dialog (RFC 3261 §12.2.1.1, §17.1.2).</summary>
    private Task<int> SendInDialogRequestAsync(
        SipDialog dialog, string method, Action<SipHeaders>? addHeaders, string? contentType, byte[]? body, CancellationToken cancellationToken)
    {
        var branch = "z9hG4bK" + NewToken();
        uint cseq;
        lock (_sync)
        {
            cseq = ++dialog.LocalCSeq;
        }

        var request = BuildInDialogRequest(dialog, method, branch, cseq, addHeaders, contentType, body);
        return _clientTransactions.RunAsync(request.ToBytes(), InDialogDestination(dialog), branch, cancellationToken);
    }

    /// <summary>
    /// Our Contact in the dialog, the same as in the 2xx that set it up: it names the dialog's transport, and the TLS
    /// listener's port over TLS, so a target refresh never moves the peer to another transport (RFC 3261 §12.2, §18).
    /// </summary>
    private string LocalContact(SipDialog dialog) =>
        SipContactAddress.For(dialog.Invite.ResponseDestination, dialog.Invite.Invite.RequestUri, ContactHostPort, TlsEndPoint?.Port);

    /// <summary>A request within the dialog: route set, our From with tag, the peer's To with tag (RFC 3261 §12.2.1.1).</summary>
    private SipRequest BuildInDialogRequest(
        SipDialog dialog, string method, string branch, uint cseq, Action<SipHeaders>? addHeaders, string? contentType, byte[]? body)
    {
        var headers = new SipHeaders();
        var transport = dialog.Invite.ResponseDestination;
        var sentBy = _listeners?.SentBy(transport.Protocol) ?? ContactHostPort;
        headers.Add(SipHeaderId.Via, $"SIP/2.0/{transport.ViaTransport} {sentBy};branch={branch};rport");
        headers.Add(SipHeaderId.MaxForwards, "70");
        foreach (var route in dialog.RouteSet)
        {
            headers.Add(SipHeaderId.Route, route);
        }

        headers.Add(SipHeaderId.From, dialog.LocalParty);
        headers.Add(SipHeaderId.To, dialog.RemoteParty);
        headers.Add(SipHeaderId.CallId, dialog.CallId);
        headers.Add(SipHeaderId.CSeq, cseq.ToString(CultureInfo.InvariantCulture) + " " + method);
        headers.Add(SipHeaderId.Contact, LocalContact(dialog));
        headers.Add(SipHeaderId.UserAgent, _options.UserAgent);
        addHeaders?.Invoke(headers);
        if (contentType is not null)
        {
            headers.Add(SipHeaderId.ContentType, contentType);
        }

        return new SipRequest(method, dialog.RemoteTarget, headers) { Body = body ?? [] };
    }

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
