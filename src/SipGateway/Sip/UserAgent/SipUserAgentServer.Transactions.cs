using System.Diagnostics;
using System.Globalization;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <content>
/// Server-transaction bookkeeping: building responses, keying transactions (RFC 3261 §8.2.6, §17.2.3), keeping
/// non-INVITE responses for retransmissions, and the periodic sweep of finished transactions.
/// </content>
public sealed partial class SipUserAgentServer
{
    /// <summary>Sends a final response to a non-INVITE request and keeps it for retransmissions (Timer J, 64*T1).</summary>
    private void RespondNonInvite(SipResponse response, string cacheKey, SipEndPoint destination)
    {
        var bytes = response.ToBytes();
        lock (_sync)
        {
            _nonInviteResponses.Store(cacheKey, bytes, destination, Stopwatch.GetTimestamp() + ToTicks(_timeout64T1));
        }

        Send(bytes, destination);
    }

    private SipResponse CreateOptionsResponse(SipRequest request)
    {
        if (request.To?.Tag is null && Availability is { AcceptsNewCalls: false } availability)
        {
            // An out-of-dialog OPTIONS is how a proxy probes us (RFC 3261 §11): report what an INVITE would get.
            var unavailable = CreateResponse(request, 503, "Service Unavailable");
            unavailable.Headers.Add(SipHeaderId.RetryAfter, availability.RetryAfter);
            return unavailable;
        }

        var response = CreateResponse(request, 200, "OK", withAllow: true);
        response.Headers.Add(SipHeaderId.Accept, "application/sdp");
        response.Headers.Add(SipHeaderId.Supported, SipExtensions.Supported);
        return response;
    }

    private SipResponse CreateResponse(SipRequest request, int statusCode, string reason, bool withAllow = false, string? toTag = null)
    {
        var response = SipResponseFactory.Create(request.Headers, statusCode, reason, toTag ?? NewToken(), _options.UserAgent);
        if (withAllow)
        {
            response.Headers.Add(SipHeaderId.Allow, AllowedMethods);
        }

        return response;
    }

    /// <summary>RFC 3261 §17.2.3: branch plus sent-by identifies the transaction; RFC 2543 requests fall back to dialog fields.</summary>
    private static string TransactionKey(SipRequest request)
    {
        var via = request.TopVia!;
        var sentBy = via.Port is { } port ? via.Host + ":" + port.ToString(CultureInfo.InvariantCulture) : via.Host;
        return via.HasRfc3261Branch
            ? via.Branch + "|" + sentBy
            : string.Join('|', "2543", request.CallId, request.CSeq!.Value.Number.ToString(CultureInfo.InvariantCulture), request.From!.Tag, sentBy, via.Branch);
    }

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
