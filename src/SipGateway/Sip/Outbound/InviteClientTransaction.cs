using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>
/// One INVITE client transaction (RFC 3261 §17.1.1), keyed by its branch. The receive path completes it; the
/// caller's loop runs Timer A/B. <see cref="Ack"/> and <see cref="Dialog"/> are guarded by the UAS lock.
/// </summary>
internal sealed class InviteClientTransaction(
    SipRequest invite, string branch, uint cseq, SipEndPoint destination, OfferedSession offer, IProgress<int>? progress)
{
    public SipRequest Invite { get; } = invite;

    public byte[] Bytes { get; } = invite.ToBytes();

    public string Branch { get; } = branch;

    public uint CSeq { get; } = cseq;

    public SipEndPoint Destination { get; } = destination;

    public OfferedSession Offer { get; } = offer;

    public IProgress<int>? Progress { get; } = progress;

    /// <summary>Set by the first provisional response: Timer A stops and CANCEL becomes allowed (§9.1).</summary>
    public volatile bool Proceeding;

    public TaskCompletionSource Provisional { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first final response; later ones (retransmissions) only get the ACK again.</summary>
    public TaskCompletionSource<SipResponse> Final { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The ACK sent for the final response, resent for each retransmission of it (§13.2.2.4, §17.1.1.3).</summary>
    public byte[]? Ack { get; set; }

    /// <summary>The dialog the first 2xx created (§12.1.2), put in the dialog table at once so an early BYE finds it.</summary>
    internal SipDialog? Dialog { get; set; }

    /// <summary>The negotiated answer of that 2xx, or null when it was unusable (see <see cref="AnswerFailure"/>).</summary>
    public Sdp.SdpNegotiationResult? Answer { get; set; }

    public string? AnswerFailure { get; set; }
}
