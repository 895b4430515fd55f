using System.Buffers.Binary;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// Framing of one event in a segment file, all little-endian:
/// <c>[u32 magic][u32 payload length][u32 CRC-32 of payload][payload]</c>, payload =
/// <c>[u8 type-name length][type name, UTF-8][JSON, UTF-8]</c>.
/// The magic lets recovery find the next record after a damaged one; the CRC rejects torn and flipped bytes.
/// </summary>
internal static class OutboxRecord
{
    /// <summary>"BOAS" on disk: an arbitrary constant unlikely to appear at the start of JSON text.</summary>
    public const uint Magic = 0x5341_4F42;

    public const int HeaderLength = 12;

    public static void WriteHeader(Span<byte> record)
    {
        var payload = record[HeaderLength..];
        BinaryPrimitives.WriteUInt32LittleEndian(record, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(record[4..], payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], Crc32.Compute(payload));
    }

    /// <summary>Whether a complete, intact record starts at the beginning of <paramref name="data"/>.</summary>
    public static bool TryValidate(ReadOnlySpan<byte> data, out int recordLength)
    {
        recordLength = 0;
        if (data.Length < HeaderLength || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
        {
            return false;
        }

        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        // A payload holds at least the type-name length byte; a length beyond the data is a torn or damaged record.
        if (payloadLength < 1 || payloadLength > data.Length - HeaderLength)
        {
            return false;
        }

        var payload = data.Slice(HeaderLength, payloadLength);
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[8..]) != Crc32.Compute(payload))
        {
            return false;
        }

        recordLength = HeaderLength + payloadLength;
        return true;
    }

    /// <summary>Offset of the next intact record at or after <paramref name="from"/>, or -1.</summary>
    public static int FindNext(ReadOnlySpan<byte> data, int from)
    {
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, Magic);
        var offset = from;
        while (offset < data.Length)
        {
            var hit = data[offset..].IndexOf(magic);
            if (hit < 0)
            {
                return -1;
            }

            offset += hit;
            if (TryValidate(data[offset..], out _))
            {
                return offset;
            }

            offset++;
        }

        return -1;
    }
}
