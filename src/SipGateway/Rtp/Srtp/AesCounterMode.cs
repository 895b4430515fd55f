using System.Buffers.Binary;
using System.Security.Cryptography;

namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// AES in Segmented Integer Counter mode (RFC 3711 §4.1.1): keystream block j is AES(k, IV + j) where the 16-bit
/// block counter fills the IV's low two bytes. Counter blocks are built on the stack and encrypted with one ECB call
/// per chunk, so nothing is allocated per packet.
/// </summary>
internal static class AesCounterMode
{
    private const int BlockSize = 16;
    private const int ChunkBlocks = 32;

    /// <summary>XORs the keystream for <paramref name="iv"/> (its low two bytes are replaced by the counter) into <paramref name="data"/>.</summary>
    public static void Apply(Aes aes, ReadOnlySpan<byte> iv, Span<byte> data)
    {
        Span<byte> counters = stackalloc byte[ChunkBlocks * BlockSize];
        Span<byte> keystream = stackalloc byte[ChunkBlocks * BlockSize];
        var block = 0;
        while (!data.IsEmpty)
        {
            var blocks = Math.Min(ChunkBlocks, (data.Length + BlockSize - 1) / BlockSize);
            var bytes = blocks * BlockSize;
            FillCounters(iv, block, counters[..bytes]);
            aes.EncryptEcb(counters[..bytes], keystream[..bytes], PaddingMode.None);
            var n = Math.Min(bytes, data.Length);
            Xor(data[..n], keystream[..n]);
            data = data[n..];
            block += blocks;
        }
    }

    /// <summary>Writes the raw keystream (the encryption of zeros) into <paramref name="output"/>.</summary>
    public static void Keystream(Aes aes, ReadOnlySpan<byte> iv, Span<byte> output)
    {
        output.Clear();
        Apply(aes, iv, output);
    }

    private static void FillCounters(ReadOnlySpan<byte> iv, int firstBlock, Span<byte> counters)
    {
        for (var offset = 0; offset < counters.Length; offset += BlockSize)
        {
            var counter = counters.Slice(offset, BlockSize);
            iv[..14].CopyTo(counter);

            // RFC 3711 §4.1.1: at most 2^16 blocks per packet, so the counter never carries into the IV.
            BinaryPrimitives.WriteUInt16BigEndian(counter[14..], (ushort)(firstBlock + (offset / BlockSize)));
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        for (var i = 0; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }
}
