using System.Security.Cryptography;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>The digest computations of RFC 7616 §3.4.1 (qop=auth) for MD5 and SHA-256.</summary>
public static class DigestAlgorithm
{
    public const string Md5 = "MD5";

    public const string Sha256 = "SHA-256";

    public static bool IsSupported(string algorithm) =>
        string.Equals(algorithm, Md5, StringComparison.OrdinalIgnoreCase) || string.Equals(algorithm, Sha256, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// response = H(H(username:realm:password):nonce:nc:cnonce:qop:H(method:digest-uri)), lower-case hex
    /// (RFC 7616 §3.4.1, §3.4.2, §3.4.3; RFC 3261 §22.4 uses the SIP method as method).
    /// </summary>
    public static string ComputeResponse(
        string algorithm, string username, string realm, string password, string method, string digestUri,
        string nonce, string nonceCount, string cnonce, string qop)
    {
        var ha1 = Hash(algorithm, $"{username}:{realm}:{password}");
        var ha2 = Hash(algorithm, $"{method}:{digestUri}");
        return Hash(algorithm, $"{ha1}:{nonce}:{nonceCount}:{cnonce}:{qop}:{ha2}");
    }

    private static string Hash(string algorithm, string data)
    {
        var bytes = Encoding.UTF8.GetBytes(data);
#pragma warning disable CA5351 // MD5 is what RFC 2617/7616 digest with algorithm=MD5 is; most SIP trunks still only speak it.
        var digest = string.Equals(algorithm, Sha256, StringComparison.OrdinalIgnoreCase) ? SHA256.HashData(bytes) : MD5.HashData(bytes);
#pragma warning restore CA5351
        return Convert.ToHexStringLower(digest);
    }
}
