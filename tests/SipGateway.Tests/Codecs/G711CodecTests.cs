using StepAudio.Telephony.SipGateway.Codecs;

namespace StepAudio.Telephony.SipGateway.Tests.Codecs;

public sealed class G711CodecTests
{
    [Theory]
    [InlineData(0, "PCMU")]
    [InlineData(8, "PCMA")]
    public void Registry_finds_static_payload_types(int payloadType, string encodingName)
    {
        Assert.True(AudioCodecRegistry.TryGetByPayloadType(payloadType, out var codec));
        Assert.Equal(encodingName, codec.EncodingName);
        Assert.Equal(payloadType, codec.PayloadType);
        Assert.Equal(8000, codec.ClockRate);
    }

    [Theory]
    [InlineData("pcmu", 0)]
    [InlineData("PCMA", 8)]
    [InlineData("PcMa", 8)]
    public void Registry_finds_encoding_names_case_insensitively(string name, int payloadType)
    {
        Assert.True(AudioCodecRegistry.TryGetByEncodingName(name, out var codec));
        Assert.Equal(payloadType, codec.PayloadType);
    }

    [Theory]
    [InlineData("G722", 16000)]
    [InlineData("G729", 8000)]
    [InlineData("PCMU", 16000)]
    [InlineData("", 8000)]
    public void Registry_rejects_unknown_codecs(string name, int clockRate)
    {
        Assert.False(AudioCodecRegistry.TryGetByEncodingName(name, out _, clockRate));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(101)]
    [InlineData(-1)]
    public void Registry_rejects_unknown_payload_types(int payloadType)
    {
        Assert.False(AudioCodecRegistry.TryGetByPayloadType(payloadType, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Every_code_word_survives_decode_then_encode(int payloadType)
    {
        // G.711 decoding yields the reconstruction level of each interval, which must re-encode to the same code.
        Assert.True(AudioCodecRegistry.TryGetByPayloadType(payloadType, out var codec));
        var codes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var pcm = new short[256];
        var again = new byte[256];
        codec.Decode(codes, pcm);
        codec.Encode(pcm, again);
        for (var i = 0; i < 256; i++)
        {
            // µ-law has two zero codes (0x7F and 0xFF); both decode to 0, which encodes as 0xFF.
            var expected = payloadType == 0 && i == 0x7F ? 0xFF : i;
            Assert.Equal(expected, again[i]);
        }
    }

    [Fact]
    public void Short_output_buffer_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => MuLawCodec.Instance.Encode(new short[10], new byte[9]));
        Assert.Throws<ArgumentException>(() => ALawCodec.Instance.Decode(new byte[10], new short[9]));
    }
}
