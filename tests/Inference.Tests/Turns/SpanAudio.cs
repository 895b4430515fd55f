namespace StepAudio.Telephony.Inference.Tests.Turns;

/// <summary>Reproducible 16 kHz background and bursts for the span tests.</summary>
internal static class SpanAudio
{
    public const int Rate = 16_000;

    /// <summary>Gaussian-ish noise at <paramref name="rms"/>, reproducible.</summary>
    public static float[] Noise(double seconds, double rms, int seed)
    {
        var random = new Random(seed);
        var samples = new float[(int)(seconds * Rate)];
        for (var i = 0; i < samples.Length; i++)
        {
            // Sum of 3 uniforms has variance 3 × 1/12 = 1/4; scale to the wanted RMS.
            var u = random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5;
            samples[i] = (float)(u * 2 * rms);
        }

        return samples;
    }

    /// <summary>Adds a 200 Hz tone at <paramref name="rms"/> over [from, from + seconds).</summary>
    public static void AddBurst(float[] samples, double from, double seconds, double rms)
    {
        var start = (int)(from * Rate);
        var n = (int)(seconds * Rate);
        for (var i = 0; i < n; i++)
        {
            samples[start + i] += (float)(rms * Math.Sqrt(2) * Math.Sin(2 * Math.PI * 200 * i / Rate));
        }
    }
}
