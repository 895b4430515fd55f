using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>What an established dialog remembers between in-dialog requests. Guarded by the UAS lock.</summary>
internal sealed class InDialogState
{
    /// <summary>Cancelled when the dialog ends, so timers waiting on it stop at once. Needs no disposal (no timer).</summary>
    public CancellationTokenSource Ended { get; } = new();

    /// <summary>The INVITE usage (re-INVITE, UPDATE, INFO, the ACK of our 2xx); set before the dialog enters the table.</summary>
    public InviteUsage? Usage { get; set; }

    /// <summary>Set once the initial 2xx is built; null only while the dialog is being created.</summary>
    public DialogMediaState? Media { get; set; }

    /// <summary>Highest CSeq number seen from the peer (RFC 3261 §12.2.2); starts at the INVITE's.</summary>
    public uint RemoteCSeq { get; set; }

    /// <summary>A re-INVITE we answered with 2xx and whose ACK has not arrived (RFC 3261 §14.2: 491 to another).</summary>
    public InviteServerTransaction? PendingReInvite { get; set; }

    /// <summary>The pending re-INVITE had no offer, so our 2xx carried one and the answer comes in the ACK.</summary>
    public bool AnswerExpectedInAck { get; set; }

    /// <summary>We sent an UPDATE/re-INVITE (session refresh or REFER) that is still in progress.</summary>
    public bool LocalRequestPending { get; set; }

    /// <summary>Whether the peer listed UPDATE in Allow (RFC 4028 §7.4: refresh with UPDATE when possible).</summary>
    public bool PeerAllowsUpdate { get; set; }

    /// <summary>The RFC 4028 session timer, once a request or 2xx negotiated one.</summary>
    public SessionTimer? SessionTimer { get; set; }

    /// <summary>Our REFER whose NOTIFYs we are waiting for; one at a time.</summary>
    public TransferAttempt? Transfer { get; set; }

    /// <summary>The peer's REFER we accepted and are reporting on; one at a time (RFC 3515 §2.4.6).</summary>
    public ReferSubscription? Refer { get; set; }
}
