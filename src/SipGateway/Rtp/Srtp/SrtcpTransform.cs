using System.Buffers.Binary;

namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// SRTCP (RFC 3711 §3.4) with AES_CM_128_HMAC_SHA1_80: everything after the first 8 bytes of the compound packet is
/// encrypted with the SRTCP index, the E flag and 31-bit index are appended, and the 80-bit tag covers all of it.
/// Thread-safe; nothing is allocated per packet.
/// </summary>
public sealed class SrtcpTransform : IDisposable
{
    /// <summary>E flag and SRTCP index, then the tag (the MKI is never used with SDES here).</summary>
    public const int TrailerLength = 4 + SrtpTransform.AuthTagLength;

    private const int ClearHeaderLength = 8;
    private const uint EncryptedFlag = 0x8000_0000;
    private const uint MaxIndex = 0x7FFF_FFFF;

    private readonly SrtpSessionKeys _keys;
    private readonly SrtpStreamTable _streams = new();
    private readonly Lock _gate = new();
    private uint _nextIndex;

    public SrtcpTransform(SrtpMasterKey master)
    {
        _keys = new SrtpSessionKeys(master, rtcp: true);
    }

    /// <summary>
    /// Protects the RTCP compound packet in <paramref name="buffer"/>[..<paramref name="length"/>]; the buffer needs
    /// <see cref="TrailerLength"/> spare bytes. Returns the SRTCP length, or -1 when it is not RTCP or the 2^31
    /// indices of this key are spent (RFC 3711 §9.2: never reuse an index under one key).
    /// </summary>
    public int Protect(Span<byte> buffer, int length)
    {
        if (length < ClearHeaderLength || buffer[0] >> 6 != 2 || length + TrailerLength > buffer.Length)
        {
            return -1;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        lock (_gate)
        {
            if (_nextIndex > MaxIndex)
            {
                return -1;
            }

            // RFC 3711 §3.4: the SRTCP index starts at zero and counts every packet sent under this key.
            var index = _nextIndex++;
            Span<byte> iv = stackalloc byte[16];
            _keys.WriteIv(ssrc, index, iv);
            _keys.Cipher.Apply(iv, buffer[ClearHeaderLength..length]);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], EncryptedFlag | index);
            _keys.Authenticator.Compute(buffer[..(length + 4)], buffer.Slice(length + 4, SrtpTransform.AuthTagLength));
        }

        return length + TrailerLength;
    }

    /// <summary>Checks and decrypts an SRTCP packet in place; on <see cref="SrtpUnprotectResult.Ok"/>, <paramref name="length"/> is the RTCP length.</summary>
    public SrtpUnprotectResult Unprotect(Span<byte> packet, out int length)
    {
        length = 0;
        if (packet.Length < ClearHeaderLength + TrailerLength || packet[0] >> 6 != 2)
        {
            return SrtpUnprotectResult.Malformed;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        var authenticated = packet[..^SrtpTransform.AuthTagLength];
        var word = BinaryPrimitives.ReadUInt32BigEndian(authenticated[^4..]);
        var index = word & MaxIndex;
        var body = authenticated[ClearHeaderLength..^4];
        lock (_gate)
        {
            var window = _streams.Get(ssrc);
            if (window.IsReplay(index))
            {
                return SrtpUnprotectResult.Replayed;
            }

            if (!_keys.Authenticator.Verify(authenticated, packet[^SrtpTransform.AuthTagLength..]))
            {
                return SrtpUnprotectResult.AuthenticationFailed;
            }

            if ((word & EncryptedFlag) != 0)
            {
                Span<byte> iv = stackalloc byte[16];
                _keys.WriteIv(ssrc, index, iv);
                _keys.Cipher.Apply(iv, body);
            }

            window.Accept(index);
            _streams.Set(ssrc, window);
        }

        length = ClearHeaderLength + body.Length;
        return SrtpUnprotectResult.Ok;
    }

    public void Dispose() => _keys.Dispose();
}
