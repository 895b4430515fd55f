using StepAudio.Telephony.SipGateway.Sip.Dialogs;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// What the gateway asks of an existing call: hang up, transfer, send keys. Each finds the dialog under the user
/// agent's lock and hands the work to the dialog's usage (<see cref="TransferAttempt"/>, <see cref="DtmfInfoSender"/>)
/// or the BYE client transaction; <see cref="SipUserAgentServer"/> exposes them.
/// </summary>
internal sealed class DialogCallControl
{
    private readonly SipOptions _options;
    private readonly Lock _sync;
    private readonly DialogTable _dialogs;
    private readonly CallNotifier _notifier;
    private readonly SipDialogHost _host;

    public DialogCallControl(SipOptions options, Lock sync, DialogTable dialogs, CallNotifier notifier, SipDialogHost host)
    {
        _options = options;
        _sync = sync;
        _dialogs = dialogs;
        _notifier = notifier;
        _host = host;
    }

    /// <summary>
    /// Ends an answered call from the gateway side: notifies the handler (ended by "gateway", reason "hangup") and sends
    /// BYE, retransmitted per Timer E until a final response or Timer F (64*T1). Completes when the BYE transaction
    /// ends. Unknown or already ended dialogs are ignored, so calling it twice is harmless.
    /// </summary>
    public async Task HangUpAsync(string dialogId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dialogId);
        SipDialog? dialog;
        lock (_sync)
        {
            dialog = _dialogs.Get(dialogId);
        }

        if (dialog is null || !dialog.TryMarkTerminated())
        {
            return;
        }

        // No more 2xx retransmissions once we hang up. RFC 3261 §15 would have us wait for the ACK before BYE on an
        // unconfirmed dialog; we send at once because the caller's media is already being torn down.
        dialog.Invite.StopRetransmissions();
        _notifier.Terminated(dialog.Id, CallTermination.Gateway, CallTermination.ReasonHangUp);
        await _host.SendByeAndRemoveAsync(dialog, cancellationToken);
    }

    /// <summary>
    /// Asks the caller to call <paramref name="targetUri"/> instead (REFER with Refer-To and Referred-By). Completes
    /// when the transferee reports a final status in a sipfrag NOTIFY, the REFER is refused, or
    /// <see cref="SipOptions.TransferTimeout"/> passes. On success the gateway ends its leg with BYE (reason
    /// "transferred"), as RFC 5589 §6.1 has the transferor do, rather than rely on the transferee's BYE.
    /// </summary>
    public async Task<TransferResult> TransferAsync(string dialogId, string targetUri, CancellationToken cancellationToken, IProgress<int>? progress = null)
    {
        var result = await TransferCoreAsync(dialogId, targetUri, progress, cancellationToken);
        DialogMetrics.Transfers.Add(1, new KeyValuePair<string, object?>("status", result.StatusCode));
        return result;
    }

    /// <summary>
    /// Sends keys in the dialog as SIP INFO with <c>application/dtmf-relay</c> bodies (<see cref="DtmfInfoSender"/>),
    /// for a peer that negotiated no telephone-event. Returns 200, the status of the first INFO refused (the rest are
    /// not sent), 408 when the peer never answered, or 481 when the dialog is gone.
    /// </summary>
    /// <exception cref="ArgumentException">A character of <paramref name="digits"/> is not a DTMF key.</exception>
    public async Task<int> SendDtmfInfoAsync(string dialogId, string digits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dialogId);
        SipDialog? dialog;
        lock (_sync)
        {
            dialog = _dialogs.Get(dialogId);
        }

        if (dialog is null || dialog.IsTerminated)
        {
            return 481;
        }

        return await new DtmfInfoSender(_host, dialog).SendAsync(digits, cancellationToken);
    }

    private async Task<TransferResult> TransferCoreAsync(string dialogId, string targetUri, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dialogId);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetUri);
        if (targetUri.AsSpan().IndexOfAny("\r\n<>") >= 0)
        {
            throw new ArgumentException("The target must be a bare SIP URI.", nameof(targetUri));
        }

        var attempt = new TransferAttempt(progress);
        SipDialog? dialog;
        lock (_sync)
        {
            dialog = _dialogs.Get(dialogId);
            if (dialog is null || dialog.IsTerminated)
            {
                return TransferResult.Failed(481, "Call/Transaction Does Not Exist");
            }

            if (dialog.InDialog.Transfer is not null)
            {
                return TransferResult.Failed(491, "Transfer already in progress");
            }

            dialog.InDialog.Transfer = attempt;
        }

        return await attempt.RunAsync(dialog, targetUri, _options.TransferTimeout, _host, cancellationToken);
    }
}
