using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>INVITE server transaction state (RFC 3261 §17.2.1, with RFC 6026's Accepted state). Guarded by the UAS lock.</summary>
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

    /// <summary>Stopwatch timestamp after which the entry is dropped; 0 while still active.</summary>
    public long ExpiresAt { get; set; }
}
