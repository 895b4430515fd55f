namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>Outcome of checking a request's Authorization header.</summary>
public enum DigestVerification
{
    /// <summary>No Digest Authorization header for one of our realms: challenge.</summary>
    Missing,

    /// <summary>The nonce was not issued by us (or to this address): challenge again with a fresh nonce.</summary>
    UnknownNonce,

    /// <summary>Correct credentials on an expired nonce: challenge with stale=true (RFC 7616 §3.3).</summary>
    Stale,

    /// <summary>Unknown user, wrong password, or a malformed response: refuse.</summary>
    Rejected,

    Valid,
}
