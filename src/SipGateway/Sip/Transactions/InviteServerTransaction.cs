using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>
/// One INVITE server transaction (RFC 3261 §17.2.1, with RFC 6026's Accepted state): the request, where its responses
/// go, the last response for retransmitted INVITEs. Its timers run in <see cref="InviteServerTransactionTable"/>.
/// Mutable state is guarded by the user agent's lock.
/// </summary>
internal sealed class InviteServerTransaction
{
    public InviteServerTransaction(string key, SipRequest invite, SipEndPoint responseDestination, string localTag)
    {
        Key = key;
        Invite = invite;
        ResponseDestination = responseDestination;
        LocalTag = localTag;
    }

    public string Key { get; }

    public SipRequest Invite { get; }

    public SipEndPoint ResponseDestination { get; }

    /// <summary>Our To tag, the same on 487/200 and the CANCEL's response (RFC 3261 §9.2).</summary>
    public string LocalTag { get; }

    public InviteTransactionState State { get; set; } = InviteTransactionState.Proceeding;

    /// <summary>Last response sent; resent for retransmitted INVITEs (RFC 3261 §17.2.1).</summary>
    public byte[]? LastResponse { get; set; }

    /// <summary>Fires when CANCEL arrives while the handler decides.</summary>
    public CancellationTokenSource HandlerCancellation { get; } = new();

    /// <summary>Stops final-response retransmission (ACK arrived).</summary>
    public CancellationTokenSource RetransmissionStop { get; } = new();

    public SipDialog? Dialog { get; set; }

    /// <summary>The early dialog (183 with SDP, reliable when 100rel allows); null for delayed-offer INVITEs.</summary>
    public Provisional.EarlyDialog? Early { get; set; }

    /// <summary>Why the gateway ended the INVITE before the handler decided (null: the caller's CANCEL).</summary>
    public string? AbandonReason { get; set; }

    /// <summary>Timestamp of the table's clock after which the entry is dropped; null while still active.</summary>
    public long? ExpiresAt { get; set; }

    /// <summary>Stops retransmitting the final response (its ACK came, or the call is over).</summary>
    public void StopRetransmissions() => CancelQuietly(RetransmissionStop);

    /// <summary>Tells the handler still deciding on the INVITE that it was cancelled or that we are shutting down.</summary>
    public void CancelHandler() => CancelQuietly(HandlerCancellation);

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (AggregateException)
        {
            // Exceptions thrown by handler callbacks registered on the token must not reach the receive loop.
        }
    }
}
