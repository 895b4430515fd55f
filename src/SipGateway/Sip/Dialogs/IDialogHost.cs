using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.Transport;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// What a dialog usage (session timer, transfer, re-INVITE client…) needs from the user agent that dispatches to it:
/// the one lock over dialog state, the transaction layer to send requests through, and the way to end a call. The
/// user agent implements it; a usage never touches the dialog table or the sockets itself.
/// </summary>
internal interface IDialogHost
{
    /// <summary>Guards every dialog's mutable state. Never held while the handler or the network is awaited.</summary>
    Lock Sync { get; }

    /// <summary>Cancelled when the user agent shuts down.</summary>
    CancellationToken Stopping { get; }

    ILogger Logger { get; }

    SipOptions Options { get; }

    /// <summary>Our codecs in order of preference, for answering offers (RFC 3264 §6).</summary>
    IReadOnlyList<AudioCodec> Codecs { get; }

    /// <summary>The advertised host:port for Via and Contact.</summary>
    string ContactHostPort { get; }

    /// <summary>Our Contact in the dialog (RFC 3261 §12.2): the one of the 2xx that set it up, naming its transport.</summary>
    string LocalContact(SipDialog dialog);

    /// <summary>A response to <paramref name="request"/> with a fresh To tag where it had none (RFC 3261 §8.2.6).</summary>
    SipResponse CreateResponse(SipRequest request, int statusCode, string reason);

    /// <summary>
    /// The INVITE server transactions: a re-INVITE's final response is retransmitted there until its ACK or 64*T1
    /// (RFC 3261 §13.3.1.4, §17.2.1), and terminated there.
    /// </summary>
    InviteServerTransactionTable InviteTransactions { get; }

    /// <summary>The user agent's clock: every timer of a dialog usage runs on it, so tests can drive them.</summary>
    TimeProvider Time { get; }

    /// <summary>Sends on the dialog's transport; fire and forget (retransmission is the caller's business).</summary>
    void Send(byte[] bytes, SipEndPoint destination);

    /// <summary>A fresh random token for tags and branches (RFC 3261 §19.3).</summary>
    string NewToken();

    /// <summary>A request within the dialog: route set, our From with tag, the peer's To with tag (RFC 3261 §12.2.1.1).</summary>
    SipRequest BuildInDialogRequest(
        SipDialog dialog, string method, string branch, uint cseq, Action<SipHeaders>? addHeaders, string? contentType, byte[]? body);

    /// <summary>Tells the handler the session changed (RFC 3264 §8), counted.</summary>
    void NotifyMediaUpdated(string dialogId, MediaUpdate update);

    /// <summary>A non-INVITE client transaction in the dialog (RFC 3261 §12.2.1.1, §17.1.2); the final status, 408 on Timer F.</summary>
    Task<int> SendInDialogRequestAsync(
        SipDialog dialog, string method, Action<SipHeaders>? addHeaders, string? contentType, byte[]? body, CancellationToken cancellationToken);

    /// <summary>A non-INVITE client transaction (RFC 3261 §17.1.2) for a ready request; the final status, 408 on Timer F.</summary>
    Task<int> RunClientTransactionAsync(byte[] bytes, SipEndPoint destination, string branch, CancellationToken cancellationToken);

    /// <summary>
    /// Where in-dialog requests go: the next hop, over the transport the dialog was set up on, reusing the caller's
    /// connection while it is open (RFC 3261 §18.1.1).
    /// </summary>
    SipEndPoint InDialogDestination(SipDialog dialog);

    /// <summary>
    /// Ends a dialog the handler never heard of with BYE (RFC 3261 §15), removing it from the table; with an RFC 3326
    /// <paramref name="reason"/> header value when there is one to give.
    /// </summary>
    Task HangUpUnreportedAsync(SipDialog dialog, string? reason = null);

    /// <summary>A re-INVITE offering our last SDP unchanged (RFC 3261 §14.1); the final status, 408 on Timer B.</summary>
    Task<int> SendReInviteAsync(SipDialog dialog, Action<SipHeaders> addHeaders, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the call from our side: if this caller is the first to end it, tells the handler (ended by the gateway,
    /// <paramref name="reason"/>) and sends BYE, with an RFC 3326 Reason header when <paramref name="byeReason"/> is given.
    /// Returns whether this call ended it.
    /// </summary>
    Task<bool> EndAsync(SipDialog dialog, string reason, string? byeReason);
}
