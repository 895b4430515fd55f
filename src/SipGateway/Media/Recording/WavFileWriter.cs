using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace StepAudio.Telephony.SipGateway.Media.Recording;

/// <summary>
/// Writes a 16-bit PCM WAV file as the audio comes, so a long call never sits in memory. The RIFF and data chunk
/// sizes are written as zero first and filled in on <see cref="Dispose"/>; a file cut short by a crash still holds
/// all its audio and most tools (sox included) read it with a warning.
/// </summary>
public sealed class WavFileWriter : IDisposable
{
    private const int HeaderLength = 44;
    private readonly FileStream _stream;
    private readonly int _channels;
    private long _dataBytes;
    private bool _disposed;

    /// <summary>Creates (or replaces) <paramref name="path"/> and writes the header.</summary>
    public WavFileWriter(string path, int sampleRate, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        _channels = channels;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        Span<byte> header = stackalloc byte[HeaderLength];
        WriteHeader(header, sampleRate, channels, dataBytes: 0);
        _stream.Write(header);
    }

    /// <summary>Sample frames written so far (one sample per channel each).</summary>
    public long Frames => _dataBytes / (2 * _channels);

    /// <summary>Appends interleaved samples (a whole number of frames).</summary>
    public void Write(ReadOnlySpan<short> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (interleaved.Length % _channels != 0)
        {
            throw new ArgumentException("Samples must be a whole number of frames.", nameof(interleaved));
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("WAV samples are little-endian.");
        }

        _stream.Write(MemoryMarshal.AsBytes(interleaved));
        _dataBytes += interleaved.Length * 2L;
    }

    /// <summary>Writes the final chunk sizes and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            Span<byte> sizes = stackalloc byte[4];

            // RIFF sizes are 32-bit: 4 GiB is 18 hours of 8 kHz stereo, longer than any call the gateway keeps.
            uint dataBytes = (uint)Math.Min(_dataBytes, uint.MaxValue - 36);
            BinaryPrimitives.WriteUInt32LittleEndian(sizes, 36 + dataBytes);
            _stream.Position = 4;
            _stream.Write(sizes);
            BinaryPrimitives.WriteUInt32LittleEndian(sizes, dataBytes);
            _stream.Position = 40;
            _stream.Write(sizes);
        }
        finally
        {
            _stream.Dispose();
        }
    }

    private static void WriteHeader(Span<byte> header, int sampleRate, int channels, uint dataBytes)
    {
        const int BytesPerSample = 2;
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1); // WAVE_FORMAT_PCM
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(sampleRate * channels * BytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)(channels * BytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 8 * BytesPerSample);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], dataBytes);
    }
}
