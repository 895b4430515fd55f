using System.Buffers.Binary;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Codecs;

/// <summary>Bit-exactness of both G.711 laws against SoX over every code word and every 16-bit input.</summary>
public sealed class G711SoxConformanceTests
{
    public static TheoryData<string, string> Laws => new()
    {
        { "PCMU", "u-law" },
        { "PCMA", "a-law" },
    };

    public static TheoryData<string, string, int> LawsWithPrecision => new()
    {
        { "PCMU", "u-law", 14 },
        { "PCMA", "a-law", 13 },
    };

    [Theory]
    [MemberData(nameof(Laws))]
    public void Decode_matches_sox_for_all_256_code_words(string encodingName, string soxEncoding)
    {
        Assert.True(AudioCodecRegistry.TryGetByEncodingName(encodingName, out var codec));
        using var temp = new TempDirectory();
        var codes = new byte[256];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = (byte)i;
        }

        File.WriteAllBytes(temp.File("in.raw"), codes);
        ExternalTool.Run("sox", 
            "-D", "-t", "raw", "-r", "8000", "-e", soxEncoding, "-b", "8", "-c", "1", temp.File("in.raw"),
            "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-L", temp.File("out.raw"));
        var expected = ReadPcm16(temp.File("out.raw"));
        Assert.Equal(256, expected.Length);

        var actual = new short[256];
        codec.Decode(codes, actual);
        for (var i = 0; i < 256; i++)
        {
            Assert.True(expected[i] == actual[i], $"{encodingName} code 0x{i:X2}: sox {expected[i]}, ours {actual[i]}");
        }
    }

    /// <remarks>
    /// SoX rounds a 16-bit sample to the law's precision (14 bits µ-law, 13 bits A-law) before quantising, where the
    /// CCITT/Sun reference coder truncates (e.g. µ-law -31610 is 0x01 in SoX, 0x00 truncated). SoX is therefore fed
    /// each input already truncated (low bits cleared), which makes its rounding a no-op, and must then agree with
    /// our encoding of the original value for all 65,536 inputs.
    /// </remarks>
    [Theory]
    [MemberData(nameof(LawsWithPrecision))]
    public void Encode_matches_sox_for_all_65536_inputs_given_truncated_samples(string encodingName, string soxEncoding, int precisionBits)
    {
        Assert.True(AudioCodecRegistry.TryGetByEncodingName(encodingName, out var codec));
        using var temp = new TempDirectory();
        var truncationMask = ~((1 << (16 - precisionBits)) - 1);
        var pcm = new short[65536];
        var raw = new byte[pcm.Length * 2];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(i - 32768);
            BinaryPrimitives.WriteInt16LittleEndian(raw.AsSpan(i * 2), (short)(pcm[i] & truncationMask));
        }

        File.WriteAllBytes(temp.File("in.raw"), raw);

        // -D: SoX would otherwise dither when reducing to the law's 13/14-bit precision.
        ExternalTool.Run("sox", 
            "-D", "-t", "raw", "-r", "8000", "-e", "signed-integer", "-b", "16", "-c", "1", "-L", temp.File("in.raw"),
            "-t", "raw", "-e", soxEncoding, "-b", "8", "-c", "1", temp.File("out.raw"));
        var expected = File.ReadAllBytes(temp.File("out.raw"));
        Assert.Equal(pcm.Length, expected.Length);

        var actual = new byte[pcm.Length];
        codec.Encode(pcm, actual);
        var mismatches = Enumerable.Range(0, pcm.Length).Where(i => expected[i] != actual[i]).ToList();
        Assert.True(
            mismatches.Count == 0,
            $"{mismatches.Count} mismatches, first: " + string.Join(", ", mismatches.Take(5)
                .Select(i => $"{pcm[i]} -> sox 0x{expected[i]:X2} ours 0x{actual[i]:X2}")));
    }

    private static short[] ReadPcm16(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i * 2));
        }

        return samples;
    }
}
