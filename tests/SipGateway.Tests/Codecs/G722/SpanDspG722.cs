using System.Runtime.InteropServices;

namespace StepAudio.Telephony.SipGateway.Tests.Codecs.G722;

/// <summary>
/// The reference G.722 implementation: Debian's libspandsp (package libspandsp2, pulled in by baresip-core, which
/// scripts/setup.sh installs), called through its C API at 64 kbit/s with no options (16 kHz, unpacked octets).
/// </summary>
internal static partial class SpanDspG722
{
    private const string Library = "libspandsp.so.2";
    private const int Rate64k = 64000;

    /// <summary>Fails the calling test with a clear message when the library is not installed.</summary>
    public static void EnsureAvailable()
    {
        if (!NativeLibrary.TryLoad(Library, typeof(SpanDspG722).Assembly, null, out var handle))
        {
            Assert.Fail($"{Library} (the G.722 reference) is not installed: apt-get install libspandsp2 (scripts/setup.sh installs it with baresip-core).");
        }

        NativeLibrary.Free(handle);
    }

    public static byte[] Encode(ReadOnlySpan<short> pcm16k)
    {
        EnsureAvailable();
        var state = g722_encode_init(IntPtr.Zero, Rate64k, 0);
        Assert.NotEqual(IntPtr.Zero, state);
        try
        {
            var encoded = new byte[pcm16k.Length / 2];
            int written = g722_encode(state, encoded, pcm16k, pcm16k.Length);
            Assert.Equal(encoded.Length, written);
            return encoded;
        }
        finally
        {
            Assert.Equal(0, g722_encode_free(state));
        }
    }

    public static short[] Decode(ReadOnlySpan<byte> encoded)
    {
        EnsureAvailable();
        var state = g722_decode_init(IntPtr.Zero, Rate64k, 0);
        Assert.NotEqual(IntPtr.Zero, state);
        try
        {
            var pcm = new short[2 * encoded.Length];
            int written = g722_decode(state, pcm, encoded, encoded.Length);
            Assert.Equal(pcm.Length, written);
            return pcm;
        }
        finally
        {
            Assert.Equal(0, g722_decode_free(state));
        }
    }

    [LibraryImport(Library)]
    private static partial IntPtr g722_encode_init(IntPtr state, int rate, int options);

    [LibraryImport(Library)]
    private static partial int g722_encode(IntPtr state, Span<byte> g722Data, ReadOnlySpan<short> amp, int len);

    [LibraryImport(Library)]
    private static partial int g722_encode_free(IntPtr state);

    [LibraryImport(Library)]
    private static partial IntPtr g722_decode_init(IntPtr state, int rate, int options);

    [LibraryImport(Library)]
    private static partial int g722_decode(IntPtr state, Span<short> amp, ReadOnlySpan<byte> g722Data, int len);

    [LibraryImport(Library)]
    private static partial int g722_decode_free(IntPtr state);
}
