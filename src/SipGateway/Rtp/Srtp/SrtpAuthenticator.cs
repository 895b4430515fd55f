using System.Security.Cryptography;

namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// HMAC-SHA1 message authentication (RFC 3711 §4.2.1), the tag being the leftmost bytes of the digest. The message
/// must be contiguous: for SRTP the caller writes the ROC right after the authenticated portion (§4.2:
/// M = Authenticated Portion || ROC), into the space the tag takes. The one-shot <see cref="HMACSHA1.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>
/// allocates nothing, unlike a reset <see cref="IncrementalHash"/>. Thread-safe.
/// </summary>
internal sealed class SrtpAuthenticator : IDisposable
{
    /// <summary>The full HMAC-SHA1 output.</summary>
    private const int DigestLength = 20;

    private readonly byte[] _key;

    public SrtpAuthenticator(ReadOnlySpan<byte> sessionAuthKey)
    {
        _key = sessionAuthKey.ToArray();
    }

    /// <summary>Writes the tag of <paramref name="message"/> into <paramref name="tag"/>, which may overlap it.</summary>
    public void Compute(ReadOnlySpan<byte> message, Span<byte> tag)
    {
        Span<byte> digest = stackalloc byte[DigestLength];
#pragma warning disable CA5350 // RFC 3711 §4.2.1 and the AES_CM_128_HMAC_SHA1_80 suite mandate HMAC-SHA1 (not plain SHA-1; still sound as a MAC).
        HMACSHA1.HashData(_key, message, digest);
#pragma warning restore CA5350
        digest[..tag.Length].CopyTo(tag);
    }

    /// <summary>Constant-time comparison of the computed tag with <paramref name="received"/> (no timing oracle).</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> received)
    {
        Span<byte> expected = stackalloc byte[received.Length];
        Compute(message, expected);
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
