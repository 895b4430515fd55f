using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Blind transfer as the transferor (RFC 3515): the dialog's <see cref="TransferAttempt"/> sends REFER and follows the
/// NOTIFYs of its implicit subscription, which the user agent routes to it. A REFER the peer sends is checked here and,
/// when the handler allows it, reported on by its own <see cref="ReferSubscription"/>. Also the other
/// request a flow sends in the dialog: keys as SIP INFO.
/// </summary>
public sealed partial class SipUserAgentServer
{
    private const string NoSubscription = "Subscription Does Not Exist";

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
            var dialog = _dialogs.FindInDialog(request, out var rejection, NoSubscription);
            if (dialog is null)
            {
                response = rejection!;
            }
            else if (dialog.InDialog.Transfer is null || !TransferAttempt.IsReferEvent(request.Headers.GetFirst(SipHeaderId.Event)))
            {
                response = CreateResponse(request, 481, NoSubscription);
            }
            else
            {
                response = CreateResponse(request, 200, "OK");
                attempt = dialog.InDialog.Transfer;
            }
        }

        RespondNonInvite(response, cacheKey, destination);
        attempt?.OnNotify(request, _logger);
    }

    /// <summary>
    /// A REFER from the peer (RFC 3515 §2.4.2): 481 outside a dialog, 400 without exactly one Refer-To (§2.4.1), 491
    /// while another is being reported on, 603 when the handler refuses, else 202 and the subscription's NOTIFYs. A
    /// Refer-To we cannot call (not SIP, embedded headers) still gets 202 and a failure sipfrag: §2.4.2 lets us accept
    /// first and report the failure in the subscription.
    /// </summary>
    private void HandleRefer(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse? response = null;
        SipDialog? dialog;
        ReferSubscription? subscription = null;
        lock (_sync)
        {
            dialog = _dialogs.FindInDialog(request, out response);
            if (dialog is not null)
            {
                subscription = Subscribe(dialog, request, out response);
            }
        }

        if (subscription is not null && !AcceptsRefer(dialog!.Id))
        {
            lock (_sync)
            {
                dialog.InDialog.Refer = null;
            }

            subscription = null;
            response = CreateResponse(request, 603, "Decline");
        }

        response ??= CreateResponse(request, 202, "Accepted");
        DialogMetrics.RefersReceived.Add(1, new KeyValuePair<string, object?>("response", response.StatusCode));
        RespondNonInvite(response, cacheKey, destination);
        if (subscription is not null)
        {
            var dialogId = dialog!.Id;
            _ = RunReferAsync(subscription, dialogId);
        }
    }

    /// <summary>The subscription a REFER starts, or null and why not: 400 without exactly one Refer-To, 491 while another runs. Under the lock.</summary>
    private ReferSubscription? Subscribe(SipDialog dialog, SipRequest request, out SipResponse? rejection)
    {
        rejection = null;
        if (ReadReferTo(request) is not { } target)
        {
            rejection = CreateResponse(request, 400, request.Headers.CountOf(SipHeaderId.ReferTo) == 0 ? "Missing Refer-To" : "Exactly one Refer-To");
            return null;
        }

        if (dialog.InDialog.Refer is not null || dialog.IsTerminated)
        {
            rejection = CreateResponse(request, 491, "Request Pending");
            return null;
        }

        var subscription = new ReferSubscription(dialog, request.CSeq!.Value.Number, target, this);
        dialog.InDialog.Refer = subscription;
        return subscription;
    }

    private async Task RunReferAsync(ReferSubscription subscription, string dialogId)
    {
        var result = await subscription.RunAsync(ct => _handler.OnReferAsync(dialogId, subscription.Target, ct), _options.TransferTimeout);
        DialogMetrics.ReferredTransfers.Add(1, new KeyValuePair<string, object?>("status", result.StatusCode));
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation(
                "Transfer of {DialogId} asked for by REFER to {Target} ended {Status} {Reason}",
                LogText.Safe(dialogId), LogText.Safe(subscription.Target), result.StatusCode, LogText.Safe(result.Reason));
        }
    }

    private bool AcceptsRefer(string dialogId)
    {
        try
        {
            return _handler.AcceptsRefer(dialogId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SipUasMetrics.HandlerErrors.Add(1);
            _logger.LogError(ex, "AcceptsRefer failed for {DialogId}", LogText.Safe(dialogId));
            return false;
        }
    }

    /// <summary>The URI of the one Refer-To (RFC 3515 §2.1: a REFER carries exactly one); null when absent, repeated or unreadable.</summary>
    private static string? ReadReferTo(SipRequest request)
    {
        if (request.Headers.CountOf(SipHeaderId.ReferTo) != 1 || request.Headers.GetFirst(SipHeaderId.ReferTo) is not { } value)
        {
            return null;
        }

        // Two values folded into one header line: a comma after the first name-addr's closing bracket.
        var close = value.IndexOf('>', StringComparison.Ordinal);
        if (close >= 0 && value.AsSpan(close).Contains(','))
        {
            return null;
        }

        return NameAddress.TryParse(value, out var address) && address.Uri.Length > 0 ? address.Uri : null;
    }
}
