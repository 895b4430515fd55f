using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace StepAudio.Telephony.Inference.Resampling;

/// <summary>
/// Converts a whole mono clip between any two rates with NAudio's WDL resampler, whose anti-aliasing filter keeps a
/// file recorded at 44.1 or 48 kHz free of folded-back images. For files (prompts, eval recordings): it precomputes
/// its filter, so it is many times faster than <see cref="SincResampler"/>, which evaluates its window per tap.
/// </summary>
public static class WdlClipResampler
{
    private const int ChunkSamples = 4096;

    /// <summary>Resamples <paramref name="mono"/> from <paramref name="fromRate"/> to <paramref name="toRate"/>.</summary>
    public static float[] Resample(float[] mono, int fromRate, int toRate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mono);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(toRate, 1);
        if (fromRate == toRate)
        {
            return mono;
        }

        var resampler = new WdlResamplingSampleProvider(new ClipProvider(mono, fromRate), toRate);
        var output = new List<float>((int)Math.Min(((long)mono.Length * toRate / fromRate) + ChunkSamples, int.MaxValue / 2));
        var buffer = new float[ChunkSamples];
        int read;
        while ((read = resampler.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            output.AddRange(buffer.AsSpan(0, read));
        }

        return [.. output];
    }

    private sealed class ClipProvider(float[] samples, int rate) : ISampleProvider
    {
        private int _position;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(rate, 1);

        public int Read(Span<float> buffer)
        {
            var count = Math.Min(buffer.Length, samples.Length - _position);
            samples.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }
    }
}
