using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Blind transfer as the transferor (RFC 3515): the dialog's <see cref="TransferAttempt"/> sends REFER and follows the
/// NOTIFYs of its implicit subscription, which the user agent routes to it. Incoming REFER stays 405.
/// </summary>
public sealed partial class SipUserAgentServer
{
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
            _dialogs.TryGetValue(dialogId, out dialog);
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

        return await attempt.RunAsync(dialog, targetUri, _options.TransferTimeout, this, cancellationToken);
    }

    /// <summary>
    /// NOTIFY of a REFER subscription (RFC 3515 §2.4.5): every one gets 200; a final sipfrag status or
    /// Subscription-State: terminated ends the transfer. A NOTIFY for no subscription of ours gets 481 (RFC 6665 §4.1.3).
    /// </summary>
    private void HandleNotify(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse response;
        TransferAttempt? attempt = null;
        lock (_sync)
        {
            var dialog = FindDialog(request);
            if (dialog is null || dialog.InDialog.Transfer is null || !TransferAttempt.IsReferEvent(request.Headers.GetFirst(SipHeaderId.Event)))
            {
                response = CreateResponse(request, 481, "Subscription Does Not Exist");
            }
            else
            {
                response = CheckInDialogCSeq(dialog, request) ?? CreateResponse(request, 200, "OK");
                attempt = response.StatusCode == 200 ? dialog.InDialog.Transfer : null;
            }
        }

        RespondNonInvite(response, cacheKey, destination);
        attempt?.OnNotify(request, _logger);
    }
}
