namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>What a client component needs from the shared socket: the transaction table, our advertised host:port
/// (for Via sent-by and Contact) and the User-Agent value.</summary>
public sealed record SipClientBinding(NonInviteClientTransactionLayer Transactions, string LocalHostPort, string UserAgent);
