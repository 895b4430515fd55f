using System.Buffers.Binary;

namespace StepAudio.Telephony.SipGateway.Tests.Dtmf;

/// <summary>Reads the UDP payloads of a classic little-endian pcap file of Ethernet/IPv4 frames (what sipp ships).</summary>
internal static class PcapUdpPayloads
{
    public static IReadOnlyList<byte[]> Read(string path)
    {
        var file = File.ReadAllBytes(path);
        Assert.True(BinaryPrimitives.ReadUInt32LittleEndian(file) == 0xA1B2C3D4, $"{path}: not a little-endian pcap");
        Assert.True(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(20)) == 1, $"{path}: not Ethernet");
        var payloads = new List<byte[]>();
        for (int offset = 24; offset + 16 <= file.Length;)
        {
            int captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 8));
            var frame = file.AsSpan(offset + 16, captured);
            offset += 16 + captured;
            int ip = 14;
            int udp = ip + ((frame[ip] & 0x0F) * 4);
            int udpLength = BinaryPrimitives.ReadUInt16BigEndian(frame[(udp + 4)..]);
            payloads.Add(frame.Slice(udp + 8, udpLength - 8).ToArray());
        }

        return payloads;
    }
}
