using System.Buffers.Binary;
using System.Security.Cryptography;

namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// AES in Segmented Integer Counter mode (RFC 3711 §4.1.1): keystream block j is AES(k, IV + j) where the 16-bit
/// block counter fills the IV's low two bytes. Counter blocks are built in a reused buffer and encrypted by one ECB
/// transform call per chunk, so nothing is allocated per packet (the one-shot <c>Aes.EncryptEcb</c> allocates a
/// native context per call). Not thread-safe; its owner serialises use.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    private const int BlockSize = 16;
    private const int ChunkBlocks = 32;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[ChunkBlocks * BlockSize];
    private readonly byte[] _keystream = new byte[ChunkBlocks * BlockSize];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>XORs the keystream for <paramref name="iv"/> (its low two bytes are replaced by the counter) into <paramref name="data"/>.</summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        var block = 0;
        while (!data.IsEmpty)
        {
            var blocks = Math.Min(ChunkBlocks, (data.Length + BlockSize - 1) / BlockSize);
            var bytes = blocks * BlockSize;
            FillCounters(iv, block, _counters.AsSpan(0, bytes));
            _ecb.TransformBlock(_counters, 0, bytes, _keystream, 0);
            var n = Math.Min(bytes, data.Length);
            Xor(data[..n], _keystream.AsSpan(0, n));
            data = data[n..];
            block += blocks;
        }
    }

    /// <summary>Writes the raw keystream (the encryption of zeros) into <paramref name="output"/>.</summary>
    public void Keystream(ReadOnlySpan<byte> iv, Span<byte> output)
    {
        output.Clear();
        Apply(iv, output);
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_keystream);
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
