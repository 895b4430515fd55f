using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>Periodic cleanup of finished transactions and the choice of the advertised address.</summary>
public sealed partial class SipUserAgentServer
{
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

    private IPAddress ResolvePublicAddress(IPAddress listen)
    {
        if (_options.PublicAddress is { Length: > 0 } configured)
        {
            return IPAddress.Parse(configured);
        }

        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            return listen;
        }

        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return unicast.Address;
                }
            }
        }

        return IPAddress.Loopback;
    }
}
