using System.Security.Cryptography;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>Random tags, branches and Call-IDs.</summary>
internal static class SipToken
{
    /// <summary>Tags and branches need at least 32 random bits (RFC 3261 §19.3); use 64.</summary>
    public static string New() => RandomNumberGenerator.GetHexString(16, lowercase: true);
}
