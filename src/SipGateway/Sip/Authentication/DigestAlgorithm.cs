namespace StepAudio.Telephony.SipGateway.Sip.Authentication;

/// <summary>Digest algorithms this stack can compute (RFC 7616 §3.3; the "-sess" variants fold the nonces into HA1).</summary>
public enum DigestAlgorithm
{
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}
