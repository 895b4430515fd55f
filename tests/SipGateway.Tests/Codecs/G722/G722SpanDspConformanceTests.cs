using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Codecs.G722;

namespace StepAudio.Telephony.SipGateway.Tests.Codecs.G722;

/// <summary>
/// Bit-exactness of our G.722 encoder and decoder against spandsp's (libspandsp.so.2) on speech, tones, noise,
/// silence and full-scale input. Our frames are fed 20 ms at a time, spandsp's in one call, so the comparison also
/// proves that state carries across frames.
/// </summary>
public sealed class G722SpanDspConformanceTests
{
    private const int FrameSamples = 320; // 20 ms at 16 kHz

    public static TheoryData<string> SignalNames => new()
    {
        "speech", "tone-1k", "tone-sweep-of-7", "noise", "noise-quiet", "silence", "full-scale-square", "full-scale-tone",
    };

    [Theory]
    [MemberData(nameof(SignalNames))]
    public void Encoder_is_bit_exact_with_spandsp(string name)
    {
        var pcm = Signal(name);
        var expected = SpanDspG722.Encode(pcm);

        var actual = EncodeInFrames(pcm);

        AssertSame(expected, actual, name);
    }

    [Theory]
    [MemberData(nameof(SignalNames))]
    public void Decoder_matches_spandsp_on_the_same_bitstream(string name)
    {
        var bitstream = SpanDspG722.Encode(Signal(name));
        var expected = SpanDspG722.Decode(bitstream);

        var actual = new short[2 * bitstream.Length];
        var decoder = new G722Decoder();
        for (var offset = 0; offset < bitstream.Length; offset += FrameSamples / 2)
        {
            int length = Math.Min(FrameSamples / 2, bitstream.Length - offset);
            int written = decoder.Decode(bitstream.AsSpan(offset, length), actual.AsSpan(2 * offset));
            Assert.Equal(2 * length, written);
        }

        AssertSameDecoding(expected, actual, name);
    }

    [Fact]
    public void Decoder_matches_spandsp_on_every_code_word_sequence_of_random_octets()
    {
        // Arbitrary octets reach predictor and scale states that no encoder output does (e.g. saturated sub-bands).
        var random = new Random(722);
        var bitstream = new byte[16000];
        random.NextBytes(bitstream);
        var expected = SpanDspG722.Decode(bitstream);

        var actual = new short[2 * bitstream.Length];
        new G722Decoder().Decode(bitstream, actual);

        AssertSameDecoding(expected, actual, "random octets");
    }

    [Fact]
    public void Codec_sessions_keep_independent_state()
    {
        var pcm = Signal("speech");
        var expected = SpanDspG722.Encode(pcm);
        var first = G722Codec.Instance.CreateSession();
        var second = G722Codec.Instance.CreateSession();
        Assert.NotSame(first, second);

        var a = new byte[pcm.Length / 2];
        var b = new byte[pcm.Length / 2];
        for (var offset = 0; offset + FrameSamples <= pcm.Length; offset += FrameSamples)
        {
            // Interleaving two streams must not let one disturb the other.
            Assert.Equal(FrameSamples / 2, first.Encode(pcm.AsSpan(offset, FrameSamples), a.AsSpan(offset / 2)));
            Assert.Equal(FrameSamples / 2, second.Encode(pcm.AsSpan(offset, FrameSamples), b.AsSpan(offset / 2)));
        }

        int whole = pcm.Length / FrameSamples * FrameSamples / 2;
        AssertSame(expected.AsSpan(0, whole).ToArray(), a.AsSpan(0, whole).ToArray(), "first session");
        AssertSame(expected.AsSpan(0, whole).ToArray(), b.AsSpan(0, whole).ToArray(), "second session");
    }

    [Fact]
    public void Shared_descriptor_refuses_to_code()
    {
        Assert.Throws<InvalidOperationException>(() => G722Codec.Instance.Encode(new short[2], new byte[1]));
        Assert.Throws<InvalidOperationException>(() => G722Codec.Instance.Decode(new byte[1], new short[2]));
    }

    [Fact]
    public void Odd_sample_counts_and_short_buffers_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new G722Encoder().Encode(new short[3], new byte[2]));
        Assert.Throws<ArgumentException>(() => new G722Encoder().Encode(new short[4], new byte[1]));
        Assert.Throws<ArgumentException>(() => new G722Decoder().Decode(new byte[2], new short[3]));
    }

    private static byte[] EncodeInFrames(short[] pcm)
    {
        var encoded = new byte[pcm.Length / 2];
        var encoder = new G722Encoder();
        for (var offset = 0; offset < pcm.Length; offset += FrameSamples)
        {
            int length = Math.Min(FrameSamples, pcm.Length - offset) & ~1;
            Assert.Equal(length / 2, encoder.Encode(pcm.AsSpan(offset, length), encoded.AsSpan(offset / 2)));
        }

        return encoded;
    }

    private static short[] Signal(string name)
    {
        int oneSecond = G722Signals.SampleRate;
        var pcm = name switch
        {
            "speech" => G722Signals.Speech("The quick brown fox jumps over the lazy dog. Call me back at five five five, one two three four."),
            "tone-1k" => G722Signals.Tone(1000, 12000, oneSecond),
            "tone-sweep-of-7" => Concat([.. new[] { 100.0, 300, 1000, 3400, 4000, 5500, 7500 }.Select(f => G722Signals.Tone(f, 16000, oneSecond / 4))]),
            "noise" => G722Signals.Noise(oneSecond, seed: 1),
            "noise-quiet" => G722Signals.Noise(oneSecond, seed: 2, amplitude: 64),
            "silence" => new short[oneSecond],
            "full-scale-square" => G722Signals.FullScaleSquare(period: 40, oneSecond),
            "full-scale-tone" => G722Signals.Tone(2000, short.MaxValue, oneSecond),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        Assert.True(pcm.Length >= 1000, $"{name}: only {pcm.Length} samples");
        return pcm;
    }

    /// <summary>
    /// Bit-exact, with one stated exception. The receive QMF's output can exceed 16 bits on full-scale input; we
    /// saturate it (as current spandsp does with <c>saturate16</c>), while Debian's spandsp 0.0.6 casts to int16_t and
    /// wraps around. Where the two differ, ours must be the rail and spandsp's the same value wrapped.
    /// </summary>
    private static void AssertSameDecoding(short[] expected, short[] actual, string signal)
    {
        Assert.Equal(expected.Length, actual.Length);
        var wrapped = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] == actual[i])
            {
                continue;
            }

            // A sum past +32767 (but below 65536) wraps to a negative value, and vice versa.
            bool wrappedHigh = actual[i] == short.MaxValue && expected[i] < 0;
            bool wrappedLow = actual[i] == short.MinValue && expected[i] >= 0;
            if (!wrappedHigh && !wrappedLow)
            {
                Assert.Fail($"{signal}: difference at index {i} of {expected.Length} that is not a wrap-around: spandsp {expected[i]}, ours {actual[i]}");
            }

            wrapped++;
        }

        // Signals that stay clear of full scale never overflow, so there the decoders must agree sample for sample.
        if (signal is "speech" or "tone-1k" or "noise-quiet" or "silence")
        {
            Assert.True(wrapped == 0, $"{signal}: {wrapped} samples differ");
        }
    }

    private static short[] Concat(short[][] parts) => [.. parts.SelectMany(p => p)];

    private static void AssertSame<T>(T[] expected, T[] actual, string signal)
        where T : IEquatable<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (!expected[i].Equals(actual[i]))
            {
                Assert.Fail($"{signal}: first difference at index {i} of {expected.Length}: spandsp {expected[i]}, ours {actual[i]}");
            }
        }
    }
}
