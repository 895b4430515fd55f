using StepAudio.Telephony.Inference.Resampling;
using Xunit.Abstractions;

namespace StepAudio.Telephony.Inference.Tests.Resampling;

public sealed class HalfbandLowPassTests(ITestOutputHelper output)
{
    private const double SampleRate = 16000;

    [Fact]
    public void Frequency_response_meets_the_documented_ripple_and_attenuation()
    {
        var taps = HalfbandLowPass.Prototype();
        double worstRipple = 0;
        for (double f = 0; f <= 3800; f += 5)
        {
            worstRipple = Math.Max(worstRipple, Math.Abs(SignalMath.Db(SignalMath.Magnitude(taps, f, SampleRate))));
        }

        double worstStopband = double.NegativeInfinity;
        for (double f = 4200; f <= 8000; f += 5)
        {
            worstStopband = Math.Max(worstStopband, SignalMath.Db(SignalMath.Magnitude(taps, f, SampleRate)));
        }

        double telephoneBandRipple = 0;
        for (double f = 0; f <= 3400; f += 5)
        {
            telephoneBandRipple = Math.Max(telephoneBandRipple, Math.Abs(SignalMath.Db(SignalMath.Magnitude(taps, f, SampleRate))));
        }

        double beyond4600 = double.NegativeInfinity;
        for (double f = 4600; f <= 8000; f += 5)
        {
            beyond4600 = Math.Max(beyond4600, SignalMath.Db(SignalMath.Magnitude(taps, f, SampleRate)));
        }

        output.WriteLine($"ripple 0-3.4k {telephoneBandRipple:F5} dB, 0-3.8k {worstRipple:F5} dB; stopband from 4.2k {worstStopband:F2} dB, from 4.6k {beyond4600:F2} dB");
        Assert.True(worstRipple <= HalfbandLowPass.PassbandRippleDb, $"passband ripple {worstRipple} dB");
        Assert.True(telephoneBandRipple <= HalfbandLowPass.PassbandRippleDb, $"0-3.4 kHz ripple {telephoneBandRipple} dB");
        Assert.True(-worstStopband >= HalfbandLowPass.StopbandAttenuationDb, $"stopband {worstStopband} dB");
        Assert.True(-beyond4600 >= HalfbandLowPass.StopbandAttenuationBeyond4600HzDb, $"stopband beyond 4.6 kHz {beyond4600} dB");
    }

    [Fact]
    public void Prototype_is_a_symmetric_half_band_filter()
    {
        var taps = HalfbandLowPass.Prototype();
        Assert.Equal(1, HalfbandLowPass.Center % 2);
        for (var k = 0; k < taps.Length; k++)
        {
            Assert.Equal(taps[k], taps[taps.Length - 1 - k]);
            int offset = Math.Abs(k - HalfbandLowPass.Center);
            if (offset != 0 && offset % 2 == 0)
            {
                Assert.Equal(0f, taps[k]);
            }
            else
            {
                Assert.NotEqual(0f, taps[k]);
            }
        }

        Assert.Equal(1.0, taps.Sum(t => (double)t), 6);
    }
}
