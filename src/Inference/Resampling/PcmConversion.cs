namespace StepAudio.Telephony.Inference.Resampling;

/// <summary>Conversions between 16-bit linear PCM and normalised float samples in [-1, 1).</summary>
public static class PcmConversion
{
    private const float Scale = 1f / 32768f;

    /// <summary>Writes <c>pcm[i] / 32768</c> into <paramref name="destination"/> (exact in float).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="pcm"/>.</exception>
    public static void ToFloat(ReadOnlySpan<short> pcm, Span<float> destination)
    {
        if (destination.Length < pcm.Length)
        {
            throw new ArgumentException("The destination is shorter than the input.", nameof(destination));
        }

        for (var i = 0; i < pcm.Length; i++)
        {
            destination[i] = pcm[i] * Scale;
        }
    }

    /// <summary>
    /// Writes <c>round(sample × 32768)</c>, saturated to the 16-bit range, into <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="samples"/>.</exception>
    public static void ToPcm16(ReadOnlySpan<float> samples, Span<short> destination)
    {
        if (destination.Length < samples.Length)
        {
            throw new ArgumentException("The destination is shorter than the input.", nameof(destination));
        }

        for (var i = 0; i < samples.Length; i++)
        {
            float scaled = MathF.Round(samples[i] * 32768f);
            destination[i] = (short)Math.Clamp(scaled, short.MinValue, short.MaxValue);
        }
    }
}
