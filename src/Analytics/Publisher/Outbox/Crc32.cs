namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// CRC-32 as used by Ethernet, zip and PNG (IEEE 802.3, reflected polynomial 0xEDB88320): a torn or
/// flipped record must be told apart from a valid one after a crash. Own table to keep the publisher's
/// dependencies unchanged; records are a few hundred bytes, so a byte-wise table is fast enough.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB8_8320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
