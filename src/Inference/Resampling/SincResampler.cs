namespace StepAudio.Telephony.Inference.Resampling;

/// <summary>
/// Converts a whole clip between any two sample rates with a Blackman-windowed sinc (32 taps each side, cut-off at
/// 0.9 × the lower Nyquist frequency). For audio that arrives at a rate the telephone path has no fixed filter for:
/// speech a TTS endpoint returns at 22.05 or 24 kHz, brought to 8 kHz. Not for the per-packet path.
/// </summary>
public static class SincResampler
{
    private const int HalfTaps = 32;

    /// <summary>Resamples <paramref name="input"/> from <paramref name="fromRate"/> to <paramref name="toRate"/>.</summary>
    public static float[] Resample(ReadOnlySpan<float> input, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(toRate, 1);
        if (fromRate == toRate)
        {
            return input.ToArray();
        }

        var ratio = (double)fromRate / toRate;
        var cutoff = 0.9 * Math.Min(1.0, 1.0 / ratio);
        var output = new float[(int)((long)input.Length * toRate / fromRate)];
        var halfWidth = HalfTaps / Math.Min(1.0, 1.0 / ratio);
        for (var n = 0; n < output.Length; n++)
        {
            var t = n * ratio;
            var first = Math.Max(0, (int)Math.Ceiling(t - halfWidth));
            var last = Math.Min(input.Length - 1, (int)Math.Floor(t + halfWidth));
            double sum = 0;
            for (var k = first; k <= last; k++)
            {
                var x = t - k;
                sum += input[k] * cutoff * Sinc(cutoff * x) * Blackman(x / halfWidth);
            }

            output[n] = (float)Math.Clamp(sum, -1.0, 1.0);
        }

        return output;
    }

    private static double Sinc(double x) => Math.Abs(x) < 1e-9 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    // x in [-1, 1]; zero outside.
    private static double Blackman(double x) =>
        Math.Abs(x) >= 1 ? 0 : 0.42 + (0.5 * Math.Cos(Math.PI * x)) + (0.08 * Math.Cos(2 * Math.PI * x));
}
