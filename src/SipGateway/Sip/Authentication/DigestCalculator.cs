using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Authentication;

/// <summary>
/// The digest computation of RFC 7616 §3.4.1–§3.4.3 (RFC 2617 §3.2.2 for MD5), shared by the client side (answering
/// challenges) and the server side (checking answers). Only qop=auth and the RFC 2069 form without qop are covered:
/// SIP registrars do not use auth-int in practice and it would need the body here.
/// </summary>
public static class DigestCalculator
{
    private const int StackLimit = 512;

    /// <summary>The token used in the algorithm parameter (RFC 7616 §3.3, case as registered by IANA).</summary>
    public static string GetName(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5 => "MD5",
        DigestAlgorithm.Md5Sess => "MD5-sess",
        DigestAlgorithm.Sha256 => "SHA-256",
        DigestAlgorithm.Sha256Sess => "SHA-256-sess",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Parses an algorithm token case-insensitively; an absent parameter means MD5 (RFC 7616 §3.3).</summary>
    public static bool TryParseAlgorithm(string? token, out DigestAlgorithm algorithm)
    {
        algorithm = DigestAlgorithm.Md5;
        if (string.IsNullOrEmpty(token) || token.Equals("MD5", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (token.Equals("MD5-sess", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Md5Sess;
        }
        else if (token.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256;
        }
        else if (token.Equals("SHA-256-sess", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256Sess;
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>
    /// HA1 = H(username:realm:password); for the -sess variants H(H(username:realm:password):nonce:cnonce)
    /// (RFC 7616 §3.4.2), which is why <paramref name="cnonce"/> is required for them.
    /// </summary>
    public static string ComputeHa1(DigestAlgorithm algorithm, string username, string realm, string password, string nonce, string? cnonce)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(nonce);
        var ha1 = Hash(algorithm, string.Concat(username, ":", realm, ":", password));
        if (algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess)
        {
            ArgumentException.ThrowIfNullOrEmpty(cnonce);
            ha1 = Hash(algorithm, string.Concat(ha1, ":", nonce, ":", cnonce));
        }

        return ha1;
    }

    /// <summary>HA2 = H(method:digest-uri) for qop=auth or no qop (RFC 7616 §3.4.3).</summary>
    public static string ComputeHa2(DigestAlgorithm algorithm, string method, string digestUri)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(digestUri);
        return Hash(algorithm, string.Concat(method, ":", digestUri));
    }

    /// <summary>
    /// response = KD(HA1, nonce:nc:cnonce:qop:HA2) with qop (RFC 7616 §3.4.1), or KD(HA1, nonce:HA2) without it
    /// (RFC 2069 compatibility, RFC 2617 §3.2.2.1).
    /// </summary>
    public static string ComputeResponse(DigestAlgorithm algorithm, string ha1, string nonce, string? nonceCount, string? cnonce, string? qop, string ha2)
    {
        ArgumentNullException.ThrowIfNull(ha1);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(ha2);
        if (string.IsNullOrEmpty(qop))
        {
            return Hash(algorithm, string.Concat(ha1, ":", nonce, ":", ha2));
        }

        ArgumentException.ThrowIfNullOrEmpty(nonceCount);
        ArgumentException.ThrowIfNullOrEmpty(cnonce);
        return Hash(algorithm, string.Join(':', ha1, nonce, nonceCount, cnonce, qop, ha2));
    }

    /// <summary>The whole computation in one call; see <see cref="ComputeResponse(DigestAlgorithm, string, string, string?, string?, string?, string)"/>.</summary>
    public static string ComputeResponse(DigestAlgorithm algorithm, DigestResponseInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ha1 = ComputeHa1(algorithm, input.Username, input.Realm, input.Password, input.Nonce, input.Cnonce);
        var ha2 = ComputeHa2(algorithm, input.Method, input.DigestUri);
        return ComputeResponse(algorithm, ha1, input.Nonce, input.NonceCount, input.Cnonce, input.Qop, ha2);
    }

    /// <summary>Lower-case hex of MD5 or SHA-256 over the UTF-8 bytes (RFC 7616 §3.4: "unq" values, lowercase hex).</summary>
    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "MD5 is what RFC 2617/7616 Digest and every SIP trunk require; SHA-256 is preferred whenever offered.")]
    private static string Hash(DigestAlgorithm algorithm, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var rented = length <= StackLimit ? null : new byte[length];
        Span<byte> input = rented ?? stackalloc byte[StackLimit];
        input = input[..Encoding.UTF8.GetBytes(text, input)];
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var written = algorithm is DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess
            ? MD5.HashData(input, digest)
            : SHA256.HashData(input, digest);
        return Convert.ToHexStringLower(digest[..written]);
    }
}
