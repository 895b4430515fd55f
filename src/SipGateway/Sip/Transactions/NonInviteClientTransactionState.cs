namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>States of the non-INVITE client transaction (RFC 3261 §17.1.2.2, Figure 6).</summary>
public enum NonInviteClientTransactionState
{
    Trying,
    Proceeding,
    Completed,
    Terminated,
}
