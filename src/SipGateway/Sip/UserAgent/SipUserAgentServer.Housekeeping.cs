using System.Diagnostics;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <content>Periodic cleanup of finished transactions, and the table sizes tests read to show bad input leaves nothing behind.</content>
public sealed partial class SipUserAgentServer
{
    internal (int Dialogs, int InviteTransactions, int CachedResponses, int ClientTransactions) TableSizes
    {
        get
        {
            lock (_sync)
            {
                return (_dialogs.Count, _invites.Count, _nonInviteResponses.Count, _clientTransactions.Count);
            }
        }
    }

    private async Task MaintenanceLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.T1 < TimeSpan.FromSeconds(1) ? _options.T1 : TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                SweepExpired();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Drops transactions and cached responses whose absorb window (64*T1, Timer J/L-like) has passed.</summary>
    private void SweepExpired()
    {
        var now = Stopwatch.GetTimestamp();
        List<InviteServerTransaction>? dropped = null;
        lock (_sync)
        {
            foreach (var (key, tx) in _invites)
            {
                if (tx.State is InviteTransactionState.Terminated or InviteTransactionState.Confirmed && tx.ExpiresAt != 0 && now >= tx.ExpiresAt)
                {
                    _invites.Remove(key);
                    (dropped ??= []).Add(tx);
                }
            }

            _nonInviteResponses.Sweep(now);
        }

        if (dropped is not null)
        {
            foreach (var tx in dropped)
            {
                tx.HandlerCancellation.Dispose();
                tx.RetransmissionStop.Dispose();
            }
        }
    }
}
