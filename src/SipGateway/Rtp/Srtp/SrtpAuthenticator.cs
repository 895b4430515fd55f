using System.Buffers.Binary;
using System.Security.Cryptography;

namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// HMAC-SHA1 message authentication (RFC 3711 §4.2.1) over the authenticated portion and, for SRTP, the rollover
/// counter (§4.2: M = Authenticated Portion || ROC). One reusable <see cref="IncrementalHash"/>: nothing allocated per
/// packet. Not thread-safe; its owner serialises use.
/// </summary>
internal sealed class SrtpAuthenticator : IDisposable
{
    /// <summary>The full HMAC-SHA1 output; the tag is its leftmost bytes.</summary>
    private const int DigestLength = 20;

    private readonly IncrementalHash _hmac;

    public SrtpAuthenticator(ReadOnlySpan<byte> sessionAuthKey)
    {
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, sessionAuthKey);
    }

    /// <summary>Writes the tag of <paramref name="portion"/> (followed by <paramref name="rolloverCounter"/> when given) into <paramref name="tag"/>.</summary>
    public void Compute(ReadOnlySpan<byte> portion, uint? rolloverCounter, Span<byte> tag)
    {
        _hmac.AppendData(portion);
        if (rolloverCounter is { } roc)
        {
            Span<byte> rocBytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
            _hmac.AppendData(rocBytes);
        }

        Span<byte> digest = stackalloc byte[DigestLength];
        _hmac.GetHashAndReset(digest);
        digest[..tag.Length].CopyTo(tag);
    }

    /// <summary>Constant-time comparison of the computed tag with <paramref name="received"/> (no timing oracle).</summary>
    public bool Verify(ReadOnlySpan<byte> portion, uint? rolloverCounter, ReadOnlySpan<byte> received)
    {
        Span<byte> expected = stackalloc byte[received.Length];
        Compute(portion, rolloverCounter, expected);
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    public void Dispose() => _hmac.Dispose();
}
