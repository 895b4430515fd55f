using NAudio.Wave;
using StepAudio.Telephony.CallFlow.Prompts;

namespace StepAudio.Telephony.CallFlow.Tests.Prompts;

/// <summary>
/// A prompt reaches 16-bit PCM with the product's one float convention (PcmConversion, scale 32768): an 8 kHz 16-bit
/// prompt comes out sample for sample as it went in, and full scale is -32768 and 32767.
/// </summary>
public sealed class WavToTelephonePcmTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Every_16_bit_value_of_an_8khz_prompt_comes_out_unchanged()
    {
        var pcm = Enumerable.Range(short.MinValue, 65536).Select(i => (short)i).ToArray();
        var path = _directory.File("all.wav");
        using (var writer = new WaveFileWriter(path, new WaveFormat(8000, 16, 1)))
        {
            writer.WriteSamples(pcm, 0, pcm.Length);
        }

        Assert.Equal(pcm, WavToTelephonePcm.Read(path, CancellationToken.None));
    }

    [Fact]
    public void Float_full_scale_is_the_16_bit_range_and_beyond_it_saturates()
    {
        float[] samples = [1f, -1f, 0.5f, -0.5f, 1.5f, -1.5f, 1f / 32768];
        var path = _directory.File("float.wav");
        using (var writer = new WaveFileWriter(path, WaveFormat.CreateIeeeFloatWaveFormat(8000, 1)))
        {
            writer.WriteSamples(samples, 0, samples.Length);
        }

        short[] expected = [short.MaxValue, short.MinValue, 16384, -16384, short.MaxValue, short.MinValue, 1];
        Assert.Equal(expected, WavToTelephonePcm.Read(path, CancellationToken.None));
    }
}
