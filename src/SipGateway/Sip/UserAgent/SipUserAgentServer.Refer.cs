using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Blind transfer as the transferor (RFC 3515): REFER in the dialog, then the NOTIFYs of its implicit subscription.
/// Incoming REFER stays 405: a gateway answering trunk calls is asked to transfer rarely, and acting on it means
/// placing an outbound call, which this UAS does not do.
/// </summary>
public sealed partial class SipUserAgentServer
{
    private const string SubscriptionStateHeader = "Subscription-State";

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

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            timeout.CancelAfter(_options.TransferTimeout);
            var status = await SendInDialogRequestAsync(dialog, SipMethods.Refer, headers =>
            {
                headers.Add(SipHeaderId.ReferTo, "<" + targetUri + ">");
                headers.Add(SipHeaderId.ReferredBy, "<" + LocalUri(dialog) + ">");
            }, null, null, timeout.Token);
            if (status is < 200 or >= 300)
            {
                // RFC 3515 §2.4.2: a non-2xx final response means no subscription and no transfer.
                return TransferResult.Failed(status, "REFER rejected");
            }

            TransferResult result;
            try
            {
                result = await attempt.Completion.Task.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return TransferResult.Failed(408, "No final NOTIFY");
            }

            if (result.Succeeded)
            {
                await EndDialogAsync(dialog, CallTermination.ReasonTransferred);
            }

            return result;
        }
        finally
        {
            lock (_sync)
            {
                if (dialog.InDialog.Transfer == attempt)
                {
                    dialog.InDialog.Transfer = null;
                }
            }
        }
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
            if (dialog is null || dialog.InDialog.Transfer is null || !IsReferEvent(request.Headers.GetFirst(SipHeaderId.Event)))
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
        if (attempt is null)
        {
            return;
        }

        var terminated = request.Headers.GetFirst(SubscriptionStateHeader) is { } state
            && state.AsSpan().TrimStart().StartsWith("terminated", StringComparison.OrdinalIgnoreCase);
        if (SipFrag.TryParseStatus(Encoding.UTF8.GetString(request.Body.Span), out var status, out var reason))
        {
            attempt.LastStatus = status;
            attempt.Progress?.Report(status);
            if (status >= 200)
            {
                attempt.Completion.TrySetResult(new TransferResult(status < 300, status, reason));
                return;
            }
        }

        if (terminated)
        {
            attempt.Completion.TrySetResult(TransferResult.Failed(attempt.LastStatus, "Subscription terminated without a final status"));
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("REFER subscription ended without a final sipfrag (last status {Status})", attempt.LastStatus);
            }
        }
    }

    /// <summary>RFC 3515 §2.4.4: the event package is "refer", possibly with an id parameter.</summary>
    private static bool IsReferEvent(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var span = value.AsSpan();
        var semicolon = span.IndexOf(';');
        return (semicolon < 0 ? span : span[..semicolon]).Trim().Equals("refer", StringComparison.OrdinalIgnoreCase);
    }

    private static string LocalUri(SipDialog dialog) =>
        NameAddress.TryParse(dialog.LocalParty, out var local) ? local.Uri : "sip:gateway@invalid";
}
