namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

internal enum InviteTransactionState
{
    /// <summary>100 sent, the handler is deciding.</summary>
    Proceeding,

    /// <summary>Non-2xx final sent (rejection or 487), retransmitted until ACK (RFC 3261 §17.2.1).</summary>
    Completed,

    /// <summary>
    /// ACK for the non-2xx final arrived; retransmitted ACKs and INVITEs are absorbed until Timer I (T4 over UDP, zero
    /// over TCP) expires (RFC 3261 §17.2.1).
    /// </summary>
    Confirmed,

    /// <summary>2xx sent, retransmitted until ACK (RFC 6026 §8.7, RFC 3261 §13.3.1.4).</summary>
    Accepted,

    /// <summary>Done; kept until <see cref="InviteServerTransaction.ExpiresAt"/> to absorb retransmissions.</summary>
    Terminated,
}
