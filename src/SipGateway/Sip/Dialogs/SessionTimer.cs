using System.Globalization;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// The session timer of one dialog (RFC 4028) with us as UAS: the interval comes from the INVITE's Session-Expires, the
/// refresher from its refresher parameter (we pick uac when it is absent, §9, so the trunk that asked for the timer
/// carries it). At most one loop runs per dialog, on the user agent's clock (<see cref="IDialogHost.Time"/>). Mutable
/// state is guarded by <see cref="IDialogHost.Sync"/>.
/// </summary>
internal sealed class SessionTimer
{
    private readonly SipDialog _dialog;
    private readonly IDialogHost _host;
    private TimeSpan _interval;
    private bool _running;
    private bool _gatewayRefreshes;
    private long _refreshedAt;

    public SessionTimer(SipDialog dialog, IDialogHost host)
    {
        _dialog = dialog;
        _host = host;
    }

    /// <summary>
    /// Records the negotiated timer of an INVITE, re-INVITE or UPDATE and writes it into the 2xx (RFC 4028 §9). A
    /// refresh without Session-Expires turns the timer off. Under the lock.
    /// </summary>
    public void Apply(SipRequest request, SipResponse ok)
    {
        var state = _dialog.InDialog;
        var allow = request.Headers.GetAll(SipHeaderId.Allow);
        if (allow.Count > 0)
        {
            state.PeerAllowsUpdate = SessionExpires.ListContains(allow, SipMethods.Update);
        }

        if (!SessionExpires.TryParse(request.Headers.GetFirst(SipHeaderId.SessionExpires), out var seconds, out var refresher))
        {
            _interval = TimeSpan.Zero;
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
        var start = !_running;
        _running = true;
        _interval = TimeSpan.FromSeconds(seconds);
        _gatewayRefreshes = refresher == SessionExpires.Uas;
        _refreshedAt = _host.Time.GetTimestamp();
        if (start)
        {
            _ = Task.Run(RunAsync);
        }
    }

    /// <summary>
    /// As refresher we send UPDATE (re-INVITE if the peer does not allow UPDATE) at half the interval (§10); otherwise
    /// we send BYE when no refresh came by the interval minus min(32 s, interval/3) (§10).
    /// </summary>
    private async Task RunAsync()
    {
        var failedRefresh = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_host.Stopping, _dialog.InDialog.Ended.Token);
        try
        {
            while (!_dialog.IsTerminated && !stop.IsCancellationRequested)
            {
                TimeSpan interval;
                bool weRefresh;
                long refreshedAt;
                lock (_host.Sync)
                {
                    interval = _interval;
                    weRefresh = _gatewayRefreshes && !failedRefresh;
                    refreshedAt = _refreshedAt;
                }

                if (interval == TimeSpan.Zero)
                {
                    lock (_host.Sync)
                    {
                        // Re-checked under the lock: a refresh may have restarted the timer meanwhile.
                        if (_interval == TimeSpan.Zero)
                        {
                            _running = false;
                            return;
                        }
                    }

                    continue;
                }

                var margin = interval / 3 < TimeSpan.FromSeconds(32) ? interval / 3 : TimeSpan.FromSeconds(32);
                var due = weRefresh ? interval / 2 : interval - margin;
                var wait = due - _host.Time.GetElapsedTime(refreshedAt);
                if (wait > TimeSpan.Zero)
                {
                    // Suppressed and forced to yield: the dialog may end under the UAS lock, and this loop must not
                    // resume inline on that thread.
                    await Task.Delay(wait, _host.Time, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
                    continue;
                }

                if (!weRefresh)
                {
                    if (await _host.EndAsync(_dialog, CallTermination.ReasonSessionExpired, null))
                    {
                        DialogMetrics.SessionsExpired.Add(1);
                    }

                    return;
                }

                var status = await RefreshAsync();
                if (status == 491)
                {
                    // RFC 3261 §14.1: glare; the UA that did not choose the Call-ID retries after 0-2 s.
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2000)), _host.Time, stop.Token)
                        .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
                    continue;
                }

                failedRefresh = status is < 200 or >= 300;
                if (failedRefresh && _host.Logger.IsEnabled(LogLevel.Information))
                {
                    _host.Logger.LogInformation(
                        "Session refresh of {DialogId} answered {Status}; the session expires unless the peer refreshes", LogText.Safe(_dialog.Id), status);
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
    private async Task<int> RefreshAsync()
    {
        int interval;
        bool useUpdate;
        lock (_host.Sync)
        {
            if (_dialog.InDialog.LocalRequestPending || _dialog.InDialog.PendingReInvite is not null)
            {
                // A request in flight ends in a refresh of its own once answered; glare here would only earn a 491.
                _refreshedAt = _host.Time.GetTimestamp();
                return 200;
            }

            _dialog.InDialog.LocalRequestPending = true;
            interval = (int)_interval.TotalSeconds;
            useUpdate = _dialog.InDialog.PeerAllowsUpdate;
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
                ? await _host.SendInDialogRequestAsync(_dialog, SipMethods.Update, AddTimerHeaders, null, null, _host.Stopping)
                : await _host.SendReInviteAsync(_dialog, AddTimerHeaders, _host.Stopping);
            if (status is >= 200 and < 300)
            {
                lock (_host.Sync)
                {
                    _refreshedAt = _host.Time.GetTimestamp();
                }
            }

            return status;
        }
        finally
        {
            lock (_host.Sync)
            {
                _dialog.InDialog.LocalRequestPending = false;
            }
        }
    }
}
