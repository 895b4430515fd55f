using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Inference.Tests.Resampling;

public sealed class PcmConversionTests
{
    [Fact]
    public void Maps_the_16_bit_range_onto_minus_one_to_one_exclusive()
    {
        short[] pcm = [short.MinValue, -16384, -1, 0, 1, 16384, short.MaxValue];
        var samples = new float[pcm.Length];

        PcmConversion.ToFloat(pcm, samples);

        Assert.Equal([-1f, -0.5f, -1f / 32768, 0f, 1f / 32768, 0.5f, 32767f / 32768], samples);
    }

    [Fact]
    public void Every_16_bit_value_survives_a_round_trip()
    {
        var pcm = Enumerable.Range(short.MinValue, 65536).Select(i => (short)i).ToArray();
        var samples = new float[pcm.Length];
        var back = new short[pcm.Length];

        PcmConversion.ToFloat(pcm, samples);
        PcmConversion.ToPcm16(samples, back);

        Assert.Equal(pcm, back);
    }

    [Fact]
    public void Out_of_range_floats_saturate()
    {
        var back = new short[4];
        PcmConversion.ToPcm16([1.5f, -1.5f, 0.99999f, float.NegativeInfinity], back);
        Assert.Equal([short.MaxValue, short.MinValue, short.MaxValue, short.MinValue], back);
    }

    [Fact]
    public void Full_scale_is_minus_one_to_one_and_nan_is_silence()
    {
        Assert.Equal(short.MinValue, PcmConversion.ToPcm16(-1f));
        Assert.Equal(short.MaxValue, PcmConversion.ToPcm16(1f));
        Assert.Equal(16384, PcmConversion.ToPcm16(0.5f));
        Assert.Equal(0, PcmConversion.ToPcm16(float.NaN));
        Assert.Equal(-1f, PcmConversion.ToFloat(short.MinValue));
    }

    [Fact]
    public void The_sample_and_span_forms_agree_on_every_16_bit_value()
    {
        var pcm = Enumerable.Range(short.MinValue, 65536).Select(i => (short)i).ToArray();
        var samples = new float[pcm.Length];
        PcmConversion.ToFloat(pcm, samples);

        Assert.Equal(samples, pcm.Select(PcmConversion.ToFloat));
        Assert.Equal(pcm, samples.Select(PcmConversion.ToPcm16));
    }

    [Fact]
    public void Rejects_short_destinations()
    {
        Assert.Throws<ArgumentException>(() => PcmConversion.ToFloat(new short[3], new float[2]));
        Assert.Throws<ArgumentException>(() => PcmConversion.ToPcm16(new float[3], new short[2]));
    }
}
