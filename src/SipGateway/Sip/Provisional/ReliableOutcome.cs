namespace StepAudio.Telephony.SipGateway.Sip.Provisional;

/// <summary>How a reliable provisional response ended (RFC 3262 §3).</summary>
internal enum ReliableOutcome
{
    /// <summary>A PRACK matched it.</summary>
    Acknowledged,

    /// <summary>No PRACK within 64*T1: the UAS should reject the INVITE with a 5xx.</summary>
    TimedOut,

    /// <summary>The transaction ended first (final response sent, CANCEL, shutdown); retransmission stopped.</summary>
    Stopped,
}
