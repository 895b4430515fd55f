using System.Runtime.CompilerServices;

namespace StepAudio.Telephony.Inference.Resampling;

/// <summary>
/// Conversions between 16-bit linear PCM and normalised float samples in [-1, 1): the one convention of the product.
/// </summary>
/// <remarks>
/// Both directions scale by 32768, as NAudio's 16-bit sample provider does: -32768 is exactly -1, every 16-bit value
/// survives a round trip, and +1.0 saturates to 32767. Scaling by 32767 one way and 32768 the other would change every
/// sample that crosses a float stage by up to one step and make a prompt 0.0003 dB quieter than the same audio decoded
/// elsewhere.
/// </remarks>
public static class PcmConversion
{
    private const float Scale = 1f / 32768f;

    /// <summary><c>sample / 32768</c> (exact in float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToFloat(short sample) => sample * Scale;

    /// <summary><c>round(sample × 32768)</c>, saturated to the 16-bit range (NaN gives 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short ToPcm16(float sample) => (short)Math.Clamp(MathF.Round(sample * 32768f), short.MinValue, short.MaxValue);

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
            destination[i] = ToFloat(pcm[i]);
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
            destination[i] = ToPcm16(samples[i]);
        }
    }
}
