using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// The user agent's side of its dialogs (<see cref="IDialogHost"/>): what dialog usages (<see cref="SessionTimer"/>,
/// transfers, re-INVITEs) and the request handlers call to build and send in-dialog requests through the transaction
/// layer (RFC 3261 §12.2.1.1), to reach the next hop over the dialog's transport (§18.1.1) and to end a call with BYE
/// (§15). It owns our re-INVITE client transactions; it holds no table of dialogs beyond removing an ended one.
/// </summary>
internal sealed class SipDialogHost : IDialogHost
{
    private const int DefaultSipPort = 5060;

    private readonly Dictionary<string, ReInviteClientTransaction> _reInviteClients = new(StringComparer.Ordinal);
    private readonly DialogTable _dialogs;
    private readonly InDialogClientTransactions _clientTransactions;
    private readonly CallNotifier _notifier;
    private readonly Func<SipListeners?> _listeners;

    public SipDialogHost(
        SipOptions options,
        IReadOnlyList<AudioCodec> codecs,
        Lock sync,
        DialogTable dialogs,
        InviteServerTransactionTable inviteTransactions,
        CallNotifier notifier,
        Func<SipListeners?> listeners,
        TimeProvider time,
        ILogger logger,
        CancellationToken stopping)
    {
        Options = options;
        Codecs = codecs;
        Sync = sync;
        _dialogs = dialogs;
        InviteTransactions = inviteTransactions;
        _notifier = notifier;
        _listeners = listeners;
        Time = time;
        Logger = logger;
        Stopping = stopping;
        _clientTransactions = new InDialogClientTransactions(sync, Send, options.T1, options.T2, time, stopping);
    }

    public Lock Sync { get; }

    public CancellationToken Stopping { get; }

    public ILogger Logger { get; }

    public SipOptions Options { get; }

    public IReadOnlyList<AudioCodec> Codecs { get; }

    public TimeProvider Time { get; }

    public InviteServerTransactionTable InviteTransactions { get; }

    /// <summary>The advertised host:port (Via sent-by, Contact); the loopback address until the listeners are bound.</summary>
    public string ContactHostPort => _listeners()?.HostPort ?? "127.0.0.1";

    /// <summary>The address our SDP names for RTP bound to any address. Only after the listeners are bound.</summary>
    public IPAddress PublicAddress => _listeners()!.PublicAddress;

    /// <summary>Client transactions waiting for their final response. Under the lock.</summary>
    public int ClientTransactionCount => _clientTransactions.Count;

    /// <summary>Sends on the transport the destination names (RFC 3261 §18.2.2: responses use the request's transport).</summary>
    public Task SendAsync(byte[] bytes, SipEndPoint destination) => _listeners()?.SendAsync(bytes, destination) ?? Task.CompletedTask;

    public void Send(byte[] bytes, SipEndPoint destination) => _ = SendAsync(bytes, destination);

    public string NewToken() => SipToken.New();

    public SipResponse CreateResponse(SipRequest request, int statusCode, string reason) => CreateResponse(request, statusCode, reason, withAllow: false);

    /// <summary>A response to a request, with a fresh To tag unless it names one (RFC 3261 §8.2.6) and Allow when asked.</summary>
    public SipResponse CreateResponse(SipRequest request, int statusCode, string reason, bool withAllow = false, string? toTag = null)
    {
        var response = SipResponseFactory.Create(request.Headers, statusCode, reason, toTag ?? NewToken(), Options.UserAgent);
        if (withAllow)
        {
            response.Headers.Add(SipHeaderId.Allow, SipUserAgentServer.AllowedMethods);
        }

        return response;
    }

    public void NotifyMediaUpdated(string dialogId, MediaUpdate update) => _notifier.MediaUpdated(dialogId, update);

    public Task<int> RunClientTransactionAsync(byte[] bytes, SipEndPoint destination, string branch, CancellationToken cancellationToken) =>
        _clientTransactions.RunAsync(bytes, destination, branch, cancellationToken);

    /// <summary>Completes the non-INVITE client transaction a final response belongs to; false when none does.</summary>
    public bool TryCompleteClientTransaction(SipResponse response) => _clientTransactions.TryComplete(response);

    public async Task HangUpUnreportedAsync(SipDialog dialog, string? reason = null)
    {
        if (dialog.TryMarkTerminated())
        {
            await SendByeAndRemoveAsync(dialog, CancellationToken.None, reason);
        }
    }

    /// <summary>Ends the call from our side once: no more 2xx retransmissions, the handler told, BYE sent.</summary>
    public async Task<bool> EndAsync(SipDialog dialog, string reason, string? byeReason)
    {
        if (!dialog.TryMarkTerminated())
        {
            return false;
        }

        dialog.Invite.StopRetransmissions();
        _notifier.Terminated(dialog.Id, CallTermination.Gateway, reason);
        await SendByeAndRemoveAsync(dialog, CancellationToken.None, byeReason);
        return true;
    }

    /// <summary>Sends a re-INVITE offering our last SDP unchanged and returns the final status (408 on Timer B).</summary>
    public async Task<int> SendReInviteAsync(SipDialog dialog, Action<SipHeaders> addHeaders, CancellationToken cancellationToken)
    {
        var branch = "z9hG4bK" + NewToken();
        uint cseq;
        byte[] offer;
        lock (Sync)
        {
            cseq = ++dialog.LocalCSeq;
            offer = dialog.InDialog.Media!.LastLocalSdp;
        }

        var bytes = BuildInDialogRequest(dialog, SipMethods.Invite, branch, cseq, addHeaders, "application/sdp", offer).ToBytes();
        var client = new ReInviteClientTransaction(dialog, cseq, InDialogDestination(dialog), bytes, this);
        lock (Sync)
        {
            _reInviteClients[branch] = client;
        }

        try
        {
            return await client.RunAsync(Options.T1, cancellationToken);
        }
        finally
        {
            // Keep the entry for 64*T1 so retransmitted final responses are ACKed again (§13.2.2.4); then forget it.
            _ = Task.Delay(Options.T1 * 64, Time, CancellationToken.None).ContinueWith(
                _ =>
                {
                    lock (Sync)
                    {
                        _reInviteClients.Remove(branch);
                    }
                },
                TaskScheduler.Default);
        }
    }

    /// <summary>Responses to our re-INVITEs, matched by branch and CSeq; false for anything else.</summary>
    public bool TryHandleReInviteResponse(SipResponse response)
    {
        ReInviteClientTransaction? client;
        lock (Sync)
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

    /// <summary>Builds and runs a non-INVITE client transaction in the dialog (RFC 3261 §12.2.1.1, §17.1.2).</summary>
    public Task<int> SendInDialogRequestAsync(
        SipDialog dialog, string method, Action<SipHeaders>? addHeaders, string? contentType, byte[]? body, CancellationToken cancellationToken)
    {
        var branch = "z9hG4bK" + NewToken();
        uint cseq;
        lock (Sync)
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
    public string LocalContact(SipDialog dialog) => ContactFor(dialog.Invite);

    /// <summary>Our Contact for the responses of an INVITE transaction and the dialog it sets up (RFC 3261 §18).</summary>
    public string ContactFor(InviteServerTransaction transaction) =>
        SipContactAddress.For(transaction.ResponseDestination, transaction.Invite.RequestUri, ContactHostPort, _listeners()?.TlsEndPoint?.Port);

    /// <summary>A request within the dialog: route set, our From with tag, the peer's To with tag (RFC 3261 §12.2.1.1).</summary>
    public SipRequest BuildInDialogRequest(
        SipDialog dialog, string method, string branch, uint cseq, Action<SipHeaders>? addHeaders, string? contentType, byte[]? body)
    {
        var headers = new SipHeaders();
        var transport = dialog.Invite.ResponseDestination;
        var sentBy = _listeners()?.SentBy(transport.Protocol) ?? ContactHostPort;
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
        headers.Add(SipHeaderId.UserAgent, Options.UserAgent);
        addHeaders?.Invoke(headers);
        if (contentType is not null)
        {
            headers.Add(SipHeaderId.ContentType, contentType);
        }

        return new SipRequest(method, dialog.RemoteTarget, headers) { Body = body ?? [] };
    }

    /// <summary>Sends BYE (Timer E/F, RFC 3261 §17.1.2.2) and removes the dialog from the table whatever the outcome.</summary>
    public async Task SendByeAndRemoveAsync(SipDialog dialog, CancellationToken cancellationToken, string? reason = null)
    {
        try
        {
            var (bytes, destination, branch) = PrepareBye(dialog, reason);
            var status = await _clientTransactions.RunAsync(bytes, destination, branch, cancellationToken);
            if (status >= 300 && Logger.IsEnabled(LogLevel.Information))
            {
                Logger.LogInformation("BYE for {DialogId} answered {Status}", LogText.Safe(dialog.Id), status);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down or the caller gave up waiting; the dialog is ended either way.
        }
        finally
        {
            lock (Sync)
            {
                _dialogs.Remove(dialog.Id);
            }
        }
    }

    /// <summary>Builds the next BYE in the dialog (RFC 3261 §12.2.1.1), with an RFC 3326 Reason when given, and where to send it.</summary>
    public (byte[] Bytes, SipEndPoint Destination, string Branch) PrepareBye(SipDialog dialog, string? reason = null)
    {
        var branch = "z9hG4bK" + NewToken();
        uint cseq;
        lock (Sync)
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
    public SipEndPoint InDialogDestination(SipDialog dialog) =>
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
}
