using System.Buffers.Binary;

namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// SRTP for RTP packets (RFC 3711 §3.3) with AES_CM_128_HMAC_SHA1_80: protects in place on the send side, or
/// authenticates, replay-checks and decrypts in place on the receive side. One instance serves one direction of a
/// call; a lock makes it safe from any thread. Nothing is allocated per packet.
/// </summary>
public sealed class SrtpTransform : IDisposable
{
    /// <summary>The 80-bit tag of AES_CM_128_HMAC_SHA1_80 (RFC 4568 §6.2.1).</summary>
    public const int AuthTagLength = 10;

    private const int FixedHeaderLength = 12;

    private readonly SrtpSessionKeys _keys;
    private readonly SrtpStreamTable _streams = new();
    private readonly Lock _gate = new();

    public SrtpTransform(SrtpMasterKey master)
    {
        _keys = new SrtpSessionKeys(master, rtcp: false);
    }

    /// <summary>
    /// Encrypts the payload of the RTP packet in <paramref name="buffer"/>[..<paramref name="length"/>] and appends the
    /// tag; the buffer needs <see cref="AuthTagLength"/> spare bytes. Returns the SRTP length, or -1 when the packet is
    /// not RTP. The rollover counter follows the sequence numbers (RFC 3711 §3.3.1).
    /// </summary>
    public int Protect(Span<byte> buffer, int length)
    {
        if (length + AuthTagLength > buffer.Length || !TryHeaderLength(buffer[..length], out var headerLength))
        {
            return -1;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        lock (_gate)
        {
            var window = _streams.Get(ssrc);
            if (!TryEstimateIndex(window, sequence, out var index))
            {
                // A sequence number from before our first packet: never produced by a sender whose numbers advance.
                return -1;
            }

            Span<byte> iv = stackalloc byte[16];
            _keys.WriteIv(ssrc, index, iv);
            _keys.Cipher.Apply(iv, buffer[headerLength..length]);
            // M = packet || ROC (RFC 3711 §4.2), built in place where the tag then goes.
            BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], (uint)(index >> 16));
            _keys.Authenticator.Compute(buffer[..(length + 4)], buffer.Slice(length, AuthTagLength));
            if (!window.Started || index > window.Highest)
            {
                window.Accept(index);
                _streams.Set(ssrc, window);
            }
        }

        return length + AuthTagLength;
    }

    /// <summary>
    /// Checks and decrypts the SRTP packet in <paramref name="packet"/> in place (RFC 3711 §3.3 steps 1-6). On
    /// <see cref="SrtpUnprotectResult.Ok"/>, <paramref name="length"/> is the plain RTP length; on anything else the
    /// packet must be dropped and the stream state is untouched.
    /// </summary>
    public SrtpUnprotectResult Unprotect(Span<byte> packet, out int length)
    {
        length = 0;
        if (packet.Length < FixedHeaderLength + AuthTagLength || !TryHeaderLength(packet[..^AuthTagLength], out var headerLength))
        {
            return SrtpUnprotectResult.Malformed;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var authenticated = packet[..^AuthTagLength];
        lock (_gate)
        {
            var window = _streams.Get(ssrc);
            if (!TryEstimateIndex(window, sequence, out var index) || window.IsReplay(index))
            {
                return SrtpUnprotectResult.Replayed;
            }

            // M = packet || ROC: the ROC goes where the tag was, after keeping a copy of the tag to compare.
            Span<byte> received = stackalloc byte[AuthTagLength];
            var tag = packet[authenticated.Length..];
            tag.CopyTo(received);
            BinaryPrimitives.WriteUInt32BigEndian(tag, (uint)(index >> 16));
            var genuine = _keys.Authenticator.Verify(packet[..(authenticated.Length + 4)], received);
            received.CopyTo(tag);
            if (!genuine)
            {
                return SrtpUnprotectResult.AuthenticationFailed;
            }

            Span<byte> iv = stackalloc byte[16];
            _keys.WriteIv(ssrc, index, iv);
            _keys.Cipher.Apply(iv, authenticated[headerLength..]);
            window.Accept(index);
            _streams.Set(ssrc, window);
        }

        length = authenticated.Length;
        return SrtpUnprotectResult.Ok;
    }

    public void Dispose() => _keys.Dispose();

    /// <summary>
    /// RFC 3711 §3.3.1 / Appendix A: the index i = 2^16 * v + SEQ, where v is ROC-1, ROC or ROC+1, whichever puts SEQ
    /// nearest the highest index seen (s_l). The first packet of a stream starts with ROC 0 (SDES, RFC 4568 §6.4).
    /// False when the guess would be ROC-1 with ROC 0: a packet older than the stream.
    /// </summary>
    internal static bool TryEstimateIndex(SrtpReplayWindow window, ushort sequence, out ulong index)
    {
        if (!window.Started)
        {
            index = sequence;
            return true;
        }

        var roc = window.Highest >> 16;
        var last = (ushort)window.Highest;
        ulong guess;
        if (last < 32768)
        {
            if (sequence - last > 32768)
            {
                if (roc == 0)
                {
                    index = 0;
                    return false;
                }

                guess = roc - 1;
            }
            else
            {
                guess = roc;
            }
        }
        else
        {
            guess = last - 32768 > sequence ? roc + 1 : roc;
        }

        index = (guess << 16) | sequence;
        return true;
    }

    /// <summary>Fixed header, CSRCs and header extension (RFC 3550 §5.1, §5.3.1): the part SRTP leaves in clear.</summary>
    internal static bool TryHeaderLength(ReadOnlySpan<byte> packet, out int headerLength)
    {
        headerLength = 0;
        if (packet.Length < FixedHeaderLength || packet[0] >> 6 != 2)
        {
            return false;
        }

        var length = FixedHeaderLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return false;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        if (length > packet.Length)
        {
            return false;
        }

        headerLength = length;
        return true;
    }
}
