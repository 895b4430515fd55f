using System.Buffers.Binary;
using System.Security.Cryptography;

namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>
/// Stateless nonces: hex(issue time) + hex(HMAC-SHA256(key, issue time, client address)), so the server keeps no
/// table of issued nonces yet can tell a forged nonce from an expired one (RFC 7616 §3.3 stale). The key is random
/// per process: a restart turns outstanding nonces into forgeries, which clients survive by a fresh 401.
/// </summary>
public sealed class DigestNonce
{
    private const int TimeBytes = 8;
    private const int MacBytes = 16;

    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public DigestNonce(TimeSpan lifetime, TimeProvider time, byte[]? key = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _lifetime = lifetime;
        _time = time;
        _key = key ?? RandomNumberGenerator.GetBytes(32);
    }

    public string Create(SourceAddress client)
    {
        Span<byte> nonce = stackalloc byte[TimeBytes + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(nonce, _time.GetUtcNow().ToUnixTimeMilliseconds());
        Sign(nonce[..TimeBytes], client, nonce[TimeBytes..]);
        return Convert.ToHexStringLower(nonce);
    }

    public DigestNonceStatus Validate(string? nonce, SourceAddress client)
    {
        Span<byte> bytes = stackalloc byte[TimeBytes + MacBytes];
        if (nonce is null || nonce.Length != bytes.Length * 2 || Convert.FromHexString(nonce, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != bytes.Length)
        {
            return DigestNonceStatus.Invalid;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        Sign(bytes[..TimeBytes], client, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[TimeBytes..]))
        {
            return DigestNonceStatus.Invalid;
        }

        var issued = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes));
        var age = _time.GetUtcNow() - issued;
        return age < TimeSpan.Zero || age > _lifetime ? DigestNonceStatus.Stale : DigestNonceStatus.Valid;
    }

    private void Sign(ReadOnlySpan<byte> time, SourceAddress client, Span<byte> destination)
    {
        // Binding the nonce to the client address means a captured Authorization header replays only from there.
        Span<byte> data = stackalloc byte[TimeBytes + 16 + 1];
        time.CopyTo(data);
        BinaryPrimitives.WriteUInt128BigEndian(data[TimeBytes..], client.Value);
        data[^1] = client.IsIPv4 ? (byte)4 : (byte)6;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, data, mac);
        mac[..MacBytes].CopyTo(destination);
    }
}
