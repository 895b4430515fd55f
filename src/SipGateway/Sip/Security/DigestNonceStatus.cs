namespace StepAudio.Telephony.SipGateway.Sip.Security;

public enum DigestNonceStatus
{
    /// <summary>Not issued by this server (or issued to another address).</summary>
    Invalid,

    /// <summary>Issued here, but older than the nonce lifetime: the client should retry with a fresh one.</summary>
    Stale,

    Valid,
}
