using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// A REFER the peer sent us and we accepted with 202 (RFC 3515, the notifier side): the implicit subscription of
/// §2.4.4, whose NOTIFYs carry the transfer's progress as message/sipfrag (§2.4.5): "100 Trying" at once, then the
/// final status with Subscription-State: terminated. One per dialog at a time; the user agent routes nothing back to it.
/// </summary>
internal sealed class ReferSubscription
{
    private const string SubscriptionStateHeader = "Subscription-State";

    private readonly SipDialog _dialog;
    private readonly IDialogHost _host;
    private readonly string _event;

    /// <param name="dialog">The dialog the REFER arrived in.</param>
    /// <param name="referCSeq">The REFER's CSeq number: RFC 3515 §2.4.6 has it name the subscription in Event's id.</param>
    /// <param name="target">The Refer-To URI, already known to be a single name-addr.</param>
    /// <param name="host">The user agent.</param>
    public ReferSubscription(SipDialog dialog, uint referCSeq, string target, IDialogHost host)
    {
        _dialog = dialog;
        _host = host;
        Target = target;
        _event = "refer;id=" + referCSeq.ToString(CultureInfo.InvariantCulture);
    }

    public string Target { get; }

    /// <summary>
    /// The subscription a REFER starts (RFC 3515 §2.4.2), or null and the rejection: 400 without exactly one Refer-To
    /// (§2.4.1), 491 while another is being reported on (§2.4.6). Under the lock.
    /// </summary>
    public static ReferSubscription? TryStart(SipDialog dialog, SipRequest refer, IDialogHost host, out SipResponse? rejection)
    {
        rejection = null;
        if (ReadReferTo(refer) is not { } target)
        {
            rejection = host.CreateResponse(refer, 400, refer.Headers.CountOf(SipHeaderId.ReferTo) == 0 ? "Missing Refer-To" : "Exactly one Refer-To");
            return null;
        }

        if (dialog.InDialog.Refer is not null || dialog.IsTerminated)
        {
            rejection = host.CreateResponse(refer, 491, "Request Pending");
            return null;
        }

        var subscription = new ReferSubscription(dialog, refer.CSeq!.Value.Number, target, host);
        dialog.InDialog.Refer = subscription;
        return subscription;
    }

    /// <summary>Whether the target is a SIP or SIPS URI without embedded headers, the only kind we can call.</summary>
    public bool IsCallableTarget =>
        (Target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || Target.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        && SipUri.TryParse(Target, out _) && !Target.Contains('?', StringComparison.Ordinal);

    /// <summary>
    /// Sends "100 Trying", carries the transfer out through <paramref name="transfer"/> (bounded by
    /// <paramref name="timeout"/>), and reports its final status. Never throws: a failing transfer is a failure
    /// sipfrag, and a dialog that ended meanwhile gets no more NOTIFYs.
    /// </summary>
    public async Task<TransferResult> RunAsync(Func<CancellationToken, Task<TransferResult>> transfer, TimeSpan timeout)
    {
        TransferResult result;
        try
        {
            await NotifyAsync(100, "Trying", final: false);
            result = IsCallableTarget
                ? await TransferAsync(transfer, timeout)
                : new TransferResult(false, 416, "Unsupported URI Scheme");

            // The subscription ends with this NOTIFY: a REFER that crosses it is a new one, not a 491.
            Release();
            await NotifyAsync(result.StatusCode, result.Reason, final: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A NOTIFY that could not be sent (shutdown) must not take the receive path down.
            _host.Logger.LogWarning(ex, "REFER subscription of {CallId} failed", LogText.Safe(_dialog.CallId));
            result = new TransferResult(false, 500, "Server Internal Error");
        }
        finally
        {
            Release();
        }

        return result;
    }

    private void Release()
    {
        lock (_host.Sync)
        {
            if (_dialog.InDialog.Refer == this)
            {
                _dialog.InDialog.Refer = null;
            }
        }
    }

    private async Task<TransferResult> TransferAsync(Func<CancellationToken, Task<TransferResult>> transfer, TimeSpan timeout)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_host.Stopping, _dialog.InDialog.Ended.Token);
        limit.CancelAfter(timeout);
        try
        {
            var result = await transfer(limit.Token);
            return result.StatusCode is >= 200 and <= 699 ? result : new TransferResult(false, 500, "Server Internal Error");
        }
        catch (OperationCanceledException)
        {
            return new TransferResult(false, 408, "Request Timeout");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _host.Logger.LogError(ex, "The transfer asked for by REFER in {CallId} failed", LogText.Safe(_dialog.CallId));
            return new TransferResult(false, 500, "Server Internal Error");
        }
    }

    private async Task NotifyAsync(int status, string reason, bool final)
    {
        if (_dialog.IsTerminated)
        {
            return; // RFC 6665 §4.1.3: the dialog's end ended the subscription with it.
        }

        // RFC 3515 §2.4.5 with RFC 6665 §4.2.2: an active state while progress comes, terminated with the final status.
        var state = final ? "terminated;reason=noresource" : "active;expires=60";
        var body = Encoding.UTF8.GetBytes(SipFrag.Format(status, reason));
        var answer = await _host.SendInDialogRequestAsync(_dialog, SipMethods.Notify, headers =>
        {
            headers.Add(SipHeaderId.Event, _event);
            headers.Add(SubscriptionStateHeader, state);
        }, SipFrag.ContentType, body, _host.Stopping);
        if (answer is < 200 or >= 300 && _host.Logger.IsEnabled(LogLevel.Information))
        {
            _host.Logger.LogInformation("NOTIFY {Status} of a REFER subscription in {CallId} got {Answer}", status, LogText.Safe(_dialog.CallId), answer);
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
