using System.Buffers.Binary;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp.Srtp;

/// <summary>The per-packet path allocates nothing (GC pressure at thousands of calls is what this guards).</summary>
public sealed class SrtpAllocationTests
{
    [Fact]
    public void Protecting_and_unprotecting_rtp_and_rtcp_allocates_nothing_per_packet()
    {
        var key = SrtpMasterKey.Generate();
        using var sender = new SrtpTransform(key);
        using var receiver = new SrtpTransform(key);
        using var rtcpSender = new SrtcpTransform(key);
        using var rtcpReceiver = new SrtcpTransform(key);
        var packet = new byte[12 + 160 + SrtpTransform.AuthTagLength];
        var report = new byte[28 + SrtcpTransform.TrailerLength];
        var failures = 0;
        RoundTrip(0); // warm-up: first-use initialisation of the crypto providers is not per packet

        // No assertions inside the measured loop: xunit's Assert.Equal allocates comparers of its own. Three rounds of
        // 1,000 round trips: the runtime may allocate once on this thread while they run (2,240 bytes once in a
        // fresh-clone CI run, as the VAD scheduler's test saw 752), but an allocation per packet shows in every round.
        var rounds = new long[3];
        for (var round = 0; round < rounds.Length; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 1; i <= 1000; i++)
            {
                RoundTrip((round * 1000) + i);
            }

            rounds[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, failures);
        Assert.True(rounds.Min() == 0, $"every round allocated ({string.Join(", ", rounds)} bytes): the SRTP path allocates per packet");

        void RoundTrip(int i)
        {
            packet[0] = 0x80;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)i);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 42);
            failures += sender.Protect(packet, 12 + 160) == packet.Length ? 0 : 1;
            failures += receiver.Unprotect(packet, out _) == SrtpUnprotectResult.Ok ? 0 : 1;
            report[0] = 0x80;
            report[1] = 201;
            failures += rtcpSender.Protect(report, 28) == report.Length ? 0 : 1;
            failures += rtcpReceiver.Unprotect(report, out _) == SrtpUnprotectResult.Ok ? 0 : 1;
        }
    }
}
