using System.Security.Cryptography;

namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// The master key and master salt of one SRTP stream direction (RFC 3711 §3.2.1): 128-bit key and 112-bit salt for
/// AES_CM_128_HMAC_SHA1_80, carried concatenated and base64-encoded in an SDES inline key (RFC 4568 §6.1).
/// </summary>
public sealed class SrtpMasterKey
{
    public const int KeyLength = 16;
    public const int SaltLength = 14;

    /// <summary>Key and salt together, the length of an SDES inline key for the AES-CM-128 suites.</summary>
    public const int Length = KeyLength + SaltLength;

    private readonly byte[] _material;

    /// <param name="keyAndSalt">Exactly <see cref="Length"/> bytes: key then salt.</param>
    public SrtpMasterKey(ReadOnlySpan<byte> keyAndSalt)
    {
        if (keyAndSalt.Length != Length)
        {
            throw new ArgumentException($"An SRTP master key and salt are {Length} bytes.", nameof(keyAndSalt));
        }

        _material = keyAndSalt.ToArray();
    }

    public ReadOnlySpan<byte> Key => _material.AsSpan(0, KeyLength);

    public ReadOnlySpan<byte> Salt => _material.AsSpan(KeyLength, SaltLength);

    /// <summary>A fresh random key for our side of a call (RFC 4568 §6.1: each direction has its own key).</summary>
    public static SrtpMasterKey Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>Parses the base64 of an SDES inline key; false unless it decodes to exactly <see cref="Length"/> bytes.</summary>
    public static bool TryParseBase64(string text, out SrtpMasterKey? key)
    {
        key = null;
        Span<byte> buffer = stackalloc byte[Length + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written != Length)
        {
            return false;
        }

        key = new SrtpMasterKey(buffer[..Length]);
        return true;
    }

    public string ToBase64() => Convert.ToBase64String(_material);

    /// <summary>Whether <paramref name="other"/> is the same key and salt (constant time).</summary>
    public bool SameAs(SrtpMasterKey other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return CryptographicOperations.FixedTimeEquals(_material, other._material);
    }

    /// <summary>Never the key itself: logs and exceptions must not carry it.</summary>
    public override string ToString() => "SrtpMasterKey(****)";
}
