namespace StepAudio.Telephony.SipGateway.Sip.Authentication;

/// <summary>Everything a digest response is computed from (RFC 7616 §3.4). Nonce count and cnonce only with qop.</summary>
public sealed record DigestResponseInput(
    string Username,
    string Realm,
    string Password,
    string Method,
    string DigestUri,
    string Nonce,
    string? NonceCount = null,
    string? Cnonce = null,
    string? Qop = null);
