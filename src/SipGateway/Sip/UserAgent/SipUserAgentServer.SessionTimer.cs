using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Session timers (RFC 4028) as the UAS: the interval comes from the INVITE's Session-Expires, the refresher from its
/// refresher parameter (we pick uac when it is absent, §9, so the trunk that asked for the timer carries it).
/// </summary>
public sealed partial class SipUserAgentServer
{
    /// <summary>
    /// The INVITE's own offer/answer state and, for a session timer, the headers of the 2xx. Called under the lock
    /// when the dialog is created (RFC 3261 §12.1.1).
    /// </summary>
    private void InitialiseInDialog(SipDialog dialog, SipResponse ok, DialogMediaState media)
    {
        dialog.InDialog.Media = media;
        dialog.InDialog.RemoteCSeq = dialog.Invite.Invite.CSeq!.Value.Number;
        ApplySessionTimer(dialog, dialog.Invite.Invite, ok);
    }

    /// <summary>RFC 4028 §9: a Session-Expires below our minimum is refused with 422 and our Min-SE.</summary>
    private bool IsSessionIntervalTooSmall(SipRequest request) =>
        SessionExpires.TryParse(request.Headers.GetFirst(SipHeaderId.SessionExpires), out var seconds, out _)
        && TimeSpan.FromSeconds(seconds) < _options.MinSessionExpires;

    private SipResponse CreateSessionIntervalTooSmall(SipRequest request)
    {
        var response = CreateResponse(request, 422, "Session Interval Too Small");
        response.Headers.Add(SessionExpires.MinSeHeader, MinSeValue);
        return response;
    }

    private string MinSeValue => ((int)Math.Ceiling(_options.MinSessionExpires.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Records the negotiated session timer of an INVITE, re-INVITE or UPDATE and writes it into the 2xx (RFC 4028
    /// §9). A refresh without Session-Expires turns the timer off. Under the lock.
    /// </summary>
    private void ApplySessionTimer(SipDialog dialog, SipRequest request, SipResponse ok)
    {
        var state = dialog.InDialog;
        var allow = request.Headers.GetAll(SipHeaderId.Allow);
        if (allow.Count > 0)
        {
            state.PeerAllowsUpdate = SessionExpires.ListContains(allow, SipMethods.Update);
        }

        if (!SessionExpires.TryParse(request.Headers.GetFirst(SipHeaderId.SessionExpires), out var seconds, out var refresher))
        {
            state.SessionInterval = TimeSpan.Zero;
            return;
        }

        // §9: only a UAC that supports timer can be the refresher; otherwise it is us, and Require: timer must not be sent.
        var uacSupports = SessionExpires.ListContains(request.Headers.GetAll(SipHeaderId.Supported), SessionExpires.OptionTag);
        refresher = uacSupports ? refresher ?? SessionExpires.Uac : SessionExpires.Uas;
        if (uacSupports)
        {
            ok.Headers.Add(SipHeaderId.Require, SessionExpires.OptionTag);
        }

        ok.Headers.Add(SipHeaderId.SessionExpires, seconds.ToString(CultureInfo.InvariantCulture) + ";refresher=" + refresher);
        var start = !state.SessionTimerRunning;
        state.SessionTimerRunning = true;
        state.SessionInterval = TimeSpan.FromSeconds(seconds);
        state.GatewayRefreshes = refresher == SessionExpires.Uas;
        state.RefreshedAt = Stopwatch.GetTimestamp();
        if (start)
        {
            _ = Task.Run(() => RunSessionTimerAsync(dialog));
        }
    }

    /// <summary>
    /// One loop per timed dialog. As refresher we send UPDATE (re-INVITE if the peer does not allow UPDATE) at half
    /// the interval (§10); otherwise we send BYE when no refresh came by the interval minus
    /// min(32 s, interval/3) (§10).
    /// </summary>
    private async Task RunSessionTimerAsync(SipDialog dialog)
    {
        var failedRefresh = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, dialog.InDialog.Ended.Token);
        try
        {
            while (!dialog.IsTerminated && !stop.IsCancellationRequested)
            {
                TimeSpan interval;
                bool weRefresh;
                long refreshedAt;
                lock (_sync)
                {
                    interval = dialog.InDialog.SessionInterval;
                    weRefresh = dialog.InDialog.GatewayRefreshes && !failedRefresh;
                    refreshedAt = dialog.InDialog.RefreshedAt;
                }

                if (interval == TimeSpan.Zero)
                {
                    lock (_sync)
                    {
                        // Re-checked under the lock: a refresh may have restarted the timer meanwhile.
                        if (dialog.InDialog.SessionInterval == TimeSpan.Zero)
                        {
                            dialog.InDialog.SessionTimerRunning = false;
                            return;
                        }
                    }

                    continue;
                }

                var margin = interval / 3 < TimeSpan.FromSeconds(32) ? interval / 3 : TimeSpan.FromSeconds(32);
                var due = weRefresh ? interval / 2 : interval - margin;
                var wait = due - Stopwatch.GetElapsedTime(refreshedAt);
                if (wait > TimeSpan.Zero)
                {
                    // Suppressed and forced to yield: the dialog may end under the UAS lock, and this loop must not
                    // resume inline on that thread.
                    await Task.Delay(wait, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
                    continue;
                }

                if (!weRefresh)
                {
                    if (dialog.TryMarkTerminated())
                    {
                        DialogMetrics.SessionsExpired.Add(1);
                        NotifyTerminated(dialog.Id, CallTermination.Gateway, CallTermination.ReasonSessionExpired);
                        await SendByeAndRemoveAsync(dialog, CancellationToken.None);
                    }

                    return;
                }

                var status = await SendSessionRefreshAsync(dialog);
                if (status == 491)
                {
                    // RFC 3261 §14.1: glare; the UA that did not choose the Call-ID retries after 0-2 s.
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2000)), stop.Token)
                        .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
                    continue;
                }

                failedRefresh = status is < 200 or >= 300;
                if (failedRefresh && _logger.IsEnabled(LogLevel.Information))
                {
                    _logger.LogInformation("Session refresh of {DialogId} answered {Status}; the session expires unless the peer refreshes", LogText.Safe(dialog.Id), status);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Refresh by UPDATE without a body when the peer allows it (RFC 4028 §7.4, RFC 3311), else by re-INVITE with our
    /// unchanged SDP.
    /// </summary>
    private async Task<int> SendSessionRefreshAsync(SipDialog dialog)
    {
        int interval;
        bool useUpdate;
        lock (_sync)
        {
            if (dialog.InDialog.LocalRequestPending || dialog.InDialog.PendingReInvite is not null)
            {
                // A request in flight ends in a refresh of its own once answered; glare here would only earn a 491.
                dialog.InDialog.RefreshedAt = Stopwatch.GetTimestamp();
                return 200;
            }

            dialog.InDialog.LocalRequestPending = true;
            interval = (int)dialog.InDialog.SessionInterval.TotalSeconds;
            useUpdate = dialog.InDialog.PeerAllowsUpdate;
        }

        try
        {
            // The refresher parameter names a role in this transaction (RFC 4028 §7.4): we send the request, so "uac".
            void AddTimerHeaders(SipHeaders headers)
            {
                headers.Add(SipHeaderId.SessionExpires, interval.ToString(CultureInfo.InvariantCulture) + ";refresher=uac");
                headers.Add(SipHeaderId.Supported, SessionExpires.OptionTag);
            }

            var status = useUpdate
                ? await SendInDialogRequestAsync(dialog, SipMethods.Update, AddTimerHeaders, null, null, _stopping.Token)
                : await SendReInviteAsync(dialog, AddTimerHeaders, _stopping.Token);
            if (status is >= 200 and < 300)
            {
                lock (_sync)
                {
                    dialog.InDialog.RefreshedAt = Stopwatch.GetTimestamp();
                }
            }

            return status;
        }
        finally
        {
            lock (_sync)
            {
                dialog.InDialog.LocalRequestPending = false;
            }
        }
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
        return RunClientTransactionAsync(request.ToBytes(), InDialogDestination(dialog), branch, cancellationToken);
    }

    /// <summary>A request within the dialog: route set, our From with tag, the peer's To with tag (RFC 3261 §12.2.1.1).</summary>
    private SipRequest BuildInDialogRequest(
        SipDialog dialog, string method, string branch, uint cseq, Action<SipHeaders>? addHeaders, string? contentType, byte[]? body)
    {
        var headers = new SipHeaders();
        headers.Add(SipHeaderId.Via, $"SIP/2.0/{dialog.Invite.ResponseDestination.ViaTransport} {_hostPort};branch={branch};rport");
        headers.Add(SipHeaderId.MaxForwards, "70");
        foreach (var route in dialog.RouteSet)
        {
            headers.Add(SipHeaderId.Route, route);
        }

        headers.Add(SipHeaderId.From, dialog.LocalParty);
        headers.Add(SipHeaderId.To, dialog.RemoteParty);
        headers.Add(SipHeaderId.CallId, dialog.CallId);
        headers.Add(SipHeaderId.CSeq, cseq.ToString(CultureInfo.InvariantCulture) + " " + method);
        headers.Add(SipHeaderId.Contact, $"<sip:{_hostPort}>");
        headers.Add(SipHeaderId.UserAgent, _options.UserAgent);
        addHeaders?.Invoke(headers);
        if (contentType is not null)
        {
            headers.Add(SipHeaderId.ContentType, contentType);
        }

        return new SipRequest(method, dialog.RemoteTarget, headers) { Body = body ?? [] };
    }
}
