using System.Buffers.Binary;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// The position of the next undelivered record, in a 24-byte file:
/// <c>[u32 magic][i64 segment][i64 offset][u32 CRC-32 of the first 20 bytes]</c>.
/// Written to a temporary file and renamed over the old one, so a crash leaves either the old or the new
/// checkpoint, never a mix. A lost or damaged checkpoint only makes the outbox re-deliver from its oldest
/// segment; consumers drop the duplicates by event id.
/// </summary>
internal static class OutboxCheckpoint
{
    public const string FileName = "outbox.checkpoint";

    private const uint Magic = 0x5043_4F42;
    private const int Length = 24;

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>Reads the checkpoint; false when it is missing, short or fails its CRC.</summary>
    public static bool TryRead(string directory, out OutboxPosition position, out bool existed)
    {
        position = default;
        var path = PathIn(directory);
        existed = File.Exists(path);
        if (!existed)
        {
            return false;
        }

        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return false;
        }

        if (data.Length != Length
            || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(20)) != Crc32.Compute(data.AsSpan(0, 20)))
        {
            return false;
        }

        position = new OutboxPosition(
            BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(4)),
            BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(12)));
        return position.Segment >= 0 && position.Offset >= 0;
    }

    public static void Write(string directory, OutboxPosition position)
    {
        Span<byte> data = stackalloc byte[Length];
        BinaryPrimitives.WriteUInt32LittleEndian(data, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(data[4..], position.Segment);
        BinaryPrimitives.WriteInt64LittleEndian(data[12..], position.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(data[20..], Crc32.Compute(data[..20]));

        var path = PathIn(directory);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(data);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
