using System.Buffers.Binary;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp.Srtp;

/// <summary>The receive side's defences (RFC 3711 §3.3): wrong key, tampering, replay, reordering and rollover.</summary>
public sealed class SrtpTransformTests
{
    private static readonly SrtpMasterKey Key = new(Enumerable.Range(1, SrtpMasterKey.Length).Select(i => (byte)i).ToArray());

    [Fact]
    public void Round_trips_a_stream_across_the_sequence_number_wrap()
    {
        using var sender = new SrtpTransform(Key);
        using var receiver = new SrtpTransform(Key);
        for (var n = 0; n < 40; n++)
        {
            var sequence = (ushort)(65_520 + n); // wraps to 0 after 65535: ROC becomes 1 on both sides
            var packet = Protect(sender, sequence, payloadByte: (byte)n);

            Assert.Equal(SrtpUnprotectResult.Ok, receiver.Unprotect(packet, out var length));
            Assert.Equal(12 + 20, length);
            Assert.All(packet.AsSpan(12, 20).ToArray(), b => Assert.Equal((byte)n, b));
        }
    }

    [Fact]
    public void A_replayed_packet_is_dropped_and_the_original_still_counts()
    {
        using var sender = new SrtpTransform(Key);
        using var receiver = new SrtpTransform(Key);
        var first = Protect(sender, 100, 1);
        var copy = (byte[])first.Clone();

        Assert.Equal(SrtpUnprotectResult.Ok, receiver.Unprotect(first, out _));
        Assert.Equal(SrtpUnprotectResult.Replayed, receiver.Unprotect(copy, out _));
        Assert.Equal(SrtpUnprotectResult.Ok, receiver.Unprotect(Protect(sender, 101, 2), out _));
    }

    [Fact]
    public void Reordered_packets_inside_the_window_are_accepted_once_and_older_ones_are_dropped()
    {
        using var sender = new SrtpTransform(Key);
        using var receiver = new SrtpTransform(Key);
        var packets = Enumerable.Range(0, 200).Select(i => Protect(sender, (ushort)(1000 + i), (byte)i)).ToArray();

        Assert.Equal(SrtpUnprotectResult.Ok, receiver.Unprotect(packets[150], out _));
        Assert.Equal(SrtpUnprotectResult.Ok, receiver.Unprotect(packets[100], out _)); // 50 behind: inside the 64 window
        Assert.Equal(SrtpUnprotectResult.Replayed, receiver.Unprotect((byte[])packets[100].Clone(), out _));
        Assert.Equal(SrtpUnprotectResult.Replayed, receiver.Unprotect(packets[50], out _)); // 100 behind: too old to tell
        Assert.Equal(SrtpUnprotectResult.Ok, receiver.Unprotect(packets[199], out _));
    }

    [Fact]
    public void A_wrong_key_fails_authentication_and_leaves_the_packet_state_alone()
    {
        using var sender = new SrtpTransform(new SrtpMasterKey(new byte[SrtpMasterKey.Length]));
        using var receiver = new SrtpTransform(Key);
        using var honest = new SrtpTransform(Key);
        var forged = Protect(sender, 500, 7);

        Assert.Equal(SrtpUnprotectResult.AuthenticationFailed, receiver.Unprotect(forged, out _));

        // The forgery did not enter the replay window: the genuine packet with the same index still gets through.
        Assert.Equal(SrtpUnprotectResult.Ok, receiver.Unprotect(Protect(honest, 500, 7), out _));
    }

    [Theory]
    [InlineData(12)] // a header byte (authenticated, clear)
    [InlineData(20)] // the payload
    [InlineData(33)] // the tag itself
    public void Any_flipped_bit_fails_authentication(int position)
    {
        using var sender = new SrtpTransform(Key);
        using var receiver = new SrtpTransform(Key);
        var packet = Protect(sender, 7, 3);
        packet[position - 1] ^= 0x01;

        Assert.Equal(SrtpUnprotectResult.AuthenticationFailed, receiver.Unprotect(packet, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(21)]
    public void Short_or_non_rtp_input_is_malformed_not_a_crash(int length)
    {
        using var receiver = new SrtpTransform(Key);
        var garbage = new byte[length];
        Array.Fill(garbage, (byte)0x80);

        Assert.Equal(SrtpUnprotectResult.Malformed, receiver.Unprotect(garbage, out _));
    }

    [Fact]
    public void Random_garbage_never_throws()
    {
        using var receiver = new SrtpTransform(Key);
        var random = new Random(18);
        for (var i = 0; i < 2000; i++)
        {
            var packet = new byte[random.Next(0, 300)];
            random.NextBytes(packet);
            if (packet.Length > 0 && i % 2 == 0)
            {
                packet[0] = (byte)(0x80 | (packet[0] & 0x3F)); // half look like RTP version 2
            }

            Assert.NotEqual(SrtpUnprotectResult.Ok, receiver.Unprotect(packet, out _));
        }
    }

    [Fact]
    public void Srtcp_replay_and_wrong_key_are_dropped()
    {
        using var sender = new SrtcpTransform(Key);
        using var receiver = new SrtcpTransform(Key);
        using var stranger = new SrtcpTransform(new SrtpMasterKey(new byte[SrtpMasterKey.Length]));
        var report = ProtectRtcp(sender);

        Assert.Equal(SrtpUnprotectResult.Ok, receiver.Unprotect((byte[])report.Clone(), out var length));
        Assert.Equal(28, length);
        Assert.Equal(SrtpUnprotectResult.Replayed, receiver.Unprotect(report, out _));
        ProtectRtcp(stranger); // index 0, seen already; the stranger's next index is new, so only its key can fail it
        Assert.Equal(SrtpUnprotectResult.AuthenticationFailed, receiver.Unprotect(ProtectRtcp(stranger), out _));
        Assert.Equal(SrtpUnprotectResult.Ok, receiver.Unprotect(ProtectRtcp(sender), out _));
    }

    [Fact]
    public void Index_estimation_follows_RFC_3711_appendix_A()
    {
        var window = default(SrtpReplayWindow);
        window.Accept((3UL << 16) | 65_000);

        Assert.True(SrtpTransform.TryEstimateIndex(window, 10, out var next));
        Assert.Equal((4UL << 16) | 10, next); // wrapped forward
        Assert.True(SrtpTransform.TryEstimateIndex(window, 64_990, out var late));
        Assert.Equal((3UL << 16) | 64_990, late);

        var early = default(SrtpReplayWindow);
        early.Accept((2UL << 16) | 5);
        Assert.True(SrtpTransform.TryEstimateIndex(early, 65_530, out var before));
        Assert.Equal((1UL << 16) | 65_530, before); // from before the wrap
    }

    private static byte[] Protect(SrtpTransform sender, ushort sequence, byte payloadByte)
    {
        var buffer = new byte[12 + 20 + SrtpTransform.AuthTagLength];
        buffer[0] = 0x80;
        buffer[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), sequence * 160u);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8), 0x1234_5678);
        buffer.AsSpan(12, 20).Fill(payloadByte);
        Assert.Equal(buffer.Length, sender.Protect(buffer, 32));
        Assert.False(buffer.AsSpan(12, 20).ToArray().All(b => b == payloadByte)); // encrypted in place
        return buffer;
    }

    private static byte[] ProtectRtcp(SrtcpTransform sender)
    {
        // A receiver report with one block: 8 + 24 bytes would do; an empty RR with padding words is enough here.
        var buffer = new byte[28 + SrtcpTransform.TrailerLength];
        buffer[0] = 0x80;
        buffer[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), 6);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), 0xCAFE_0001);
        Assert.Equal(buffer.Length, sender.Protect(buffer, 28));
        return buffer;
    }
}
