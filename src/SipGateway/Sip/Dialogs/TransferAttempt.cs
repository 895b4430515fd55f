using System.Text;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// A blind transfer we asked for (RFC 3515, as transferor): the REFER in the dialog, then its implicit subscription
/// (§2.4.4), whose sipfrag NOTIFYs the user agent routes to <see cref="OnNotify"/>. One per dialog at a time.
/// </summary>
internal sealed class TransferAttempt
{
    private const string SubscriptionStateHeader = "Subscription-State";

    private readonly TaskCompletionSource<TransferResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IProgress<int>? _progress;
    private int _lastStatus;

    public TransferAttempt(IProgress<int>? progress) => _progress = progress;

    /// <summary>
    /// Sends REFER with Refer-To and Referred-By and waits for a final sipfrag status, a refusal, or
    /// <paramref name="timeout"/>. On success the gateway ends its leg with BYE (reason "transferred"), as RFC 5589 §6.1
    /// has the transferor do, rather than rely on the transferee's BYE.
    /// </summary>
    public async Task<TransferResult> RunAsync(
        SipDialog dialog, string targetUri, TimeSpan timeout, IDialogHost host, CancellationToken cancellationToken)
    {
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, host.Stopping);
            limit.CancelAfter(timeout);
            var status = await host.SendInDialogRequestAsync(dialog, SipMethods.Refer, headers =>
            {
                headers.Add(SipHeaderId.ReferTo, "<" + targetUri + ">");
                headers.Add(SipHeaderId.ReferredBy, "<" + LocalUri(dialog) + ">");
            }, null, null, limit.Token);
            if (status is < 200 or >= 300)
            {
                // RFC 3515 §2.4.2: a non-2xx final response means no subscription and no transfer.
                return TransferResult.Failed(status, "REFER rejected");
            }

            TransferResult result;
            try
            {
                result = await _completion.Task.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return TransferResult.Failed(408, "No final NOTIFY");
            }

            if (result.Succeeded)
            {
                await host.EndAsync(dialog, CallTermination.ReasonTransferred, null);
            }

            return result;
        }
        finally
        {
            lock (host.Sync)
            {
                if (dialog.InDialog.Transfer == this)
                {
                    dialog.InDialog.Transfer = null;
                }
            }
        }
    }

    /// <summary>
    /// A NOTIFY of this subscription, already answered 200 (RFC 3515 §2.4.5): a final sipfrag status or
    /// Subscription-State: terminated ends the transfer.
    /// </summary>
    public void OnNotify(SipRequest request, ILogger logger)
    {
        var terminated = request.Headers.GetFirst(SubscriptionStateHeader) is { } state
            && state.AsSpan().TrimStart().StartsWith("terminated", StringComparison.OrdinalIgnoreCase);
        if (SipFrag.TryParseStatus(Encoding.UTF8.GetString(request.Body.Span), out var status, out var reason))
        {
            _lastStatus = status;
            _progress?.Report(status);
            if (status >= 200)
            {
                _completion.TrySetResult(new TransferResult(status < 300, status, reason));
                return;
            }
        }

        if (terminated)
        {
            _completion.TrySetResult(TransferResult.Failed(_lastStatus, "Subscription terminated without a final status"));
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("REFER subscription ended without a final sipfrag (last status {Status})", _lastStatus);
            }
        }
    }

    /// <summary>RFC 3515 §2.4.4: the event package is "refer", possibly with an id parameter.</summary>
    public static bool IsReferEvent(string? value)
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
