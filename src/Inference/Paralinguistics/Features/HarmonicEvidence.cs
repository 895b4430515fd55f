using System.Numerics.Tensors;
using StepAudio.Telephony.Inference.Dsp;

namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>
/// Spectral evidence for each octave candidate of a voiced frame, independent of the difference function that proposed
/// them: how much louder the spectrum is at the candidate's harmonics (k·f) than half-way between them ((k − ½)·f),
/// in dB, averaged over the band a telephone line carries (the subharmonic-to-harmonic ratio of Sun 2002, in the log
/// domain). The true fundamental has harmonics at k·f and troughs between (a large positive value); twice it (an
/// octave high) finds the odd harmonics half-way between its own (about 0 dB); half of it (an octave low) finds
/// troughs at half its multiples (about half the true value). So it tells both octave errors apart where the time-domain
/// dips, which a high-passed low voice makes nearly equal at τ, 2τ and τ/2, cannot.
/// </summary>
/// <remarks>
/// Used by <see cref="PitchPathFinder"/> against octave-high readings only (see
/// <see cref="PitchPathFinder.HarmonicEvidenceCost"/>); one 512-point FFT per voiced frame on the telephone band.
/// </remarks>
internal static class HarmonicEvidence
{
    /// <summary>64 ms at 8 kHz: resolves a 90 Hz voice's half-harmonic troughs (45 Hz from the peaks) with a Hann window.</summary>
    public const int Window = SpectralTables.FrameLength;

    /// <summary>Top of the band the evidence is summed over (G.711 keeps up to 3400 Hz).</summary>
    public const double HighestHz = 3400;

    private const double Rate = 8_000;
    private const double BinHz = Rate / Window;

    /// <summary>
    /// Writes, for each candidate of <paramref name="candidateHz"/> (0 Hz = none), its evidence in dB to
    /// <paramref name="evidenceDb"/> (0 for none).
    /// </summary>
    /// <param name="pcm8k">The audio the pitch was searched in (8 kHz).</param>
    /// <param name="centre">Centre sample of the frame.</param>
    /// <param name="lowestHz">Bottom of the band summed over: 300 Hz on the telephone band.</param>
    /// <param name="candidateHz">The frame's candidates.</param>
    /// <param name="evidenceDb">One value per candidate.</param>
    /// <param name="reScratch">At least <see cref="Window"/> floats (the caller's frame buffer: no rent of our own).</param>
    /// <param name="imScratch">At least <see cref="Window"/> more.</param>
    public static void Measure(
        ReadOnlySpan<float> pcm8k, int centre, double lowestHz, ReadOnlySpan<float> candidateHz, Span<float> evidenceDb,
        Span<float> reScratch, Span<float> imScratch)
    {
        var re = reScratch[..Window];
        var im = imScratch[..Window];
        var start = centre - (Window / 2);
        var hann = SpectralTables.Hann; // the frame analysis's 512-point window, here over 64 ms at 8 kHz
        for (var k = 0; k < Window; k++)
        {
            var n = start + k;
            re[k] = (uint)n < (uint)pcm8k.Length ? pcm8k[n] * hann[k] : 0;
        }

        RadixTwoFft.ForwardReal(re, im);

        // Power to dB over the half spectrum in SIMD: per voiced frame this is the evidence's largest cost (257
        // logarithms), and a scalar double Log10 made the whole extraction about half again as slow.
        var logPower = re[..((Window / 2) + 1)];
        var imaginary = im[..logPower.Length];
        TensorPrimitives.Multiply(logPower, logPower, logPower);
        TensorPrimitives.FusedMultiplyAdd(imaginary, imaginary, logPower, logPower);
        TensorPrimitives.Add(logPower, 1e-12f, logPower);
        TensorPrimitives.Log10(logPower, logPower);
        TensorPrimitives.Multiply(logPower, 10f, logPower);
        for (var j = 0; j < candidateHz.Length; j++)
        {
            var f = candidateHz[j];
            evidenceDb[j] = f > 0 ? Contrast(logPower, f, lowestHz) : 0;
        }
    }

    /// <summary>Mean level at k·f minus mean level at (k − ½)·f over the band, each the loudest bin near its frequency.</summary>
    private static float Contrast(ReadOnlySpan<float> logPower, double f, double lowestHz)
    {
        // Near: within a quarter of the spacing, so a peak and its neighbouring trough never share a bin; at least
        // the nearest bin, and 2 % of the frequency for the drift of a gliding voice's upper harmonics.
        double peaks = 0, troughs = 0;
        int peakCount = 0, troughCount = 0;
        for (var k = 1; (k - 0.5) * f <= HighestHz; k++)
        {
            var trough = (k - 0.5) * f;
            if (trough >= lowestHz)
            {
                troughs += Loudest(logPower, trough, f);
                troughCount++;
            }

            var peak = k * f;
            if (peak >= lowestHz && peak <= HighestHz)
            {
                peaks += Loudest(logPower, peak, f);
                peakCount++;
            }
        }

        return peakCount == 0 || troughCount == 0 ? 0 : (float)((peaks / peakCount) - (troughs / troughCount));
    }

    private static float Loudest(ReadOnlySpan<float> logPower, double hz, double f)
    {
        var reach = Math.Min(f / 4, Math.Max(BinHz / 2, 0.02 * hz));
        var from = Math.Max(0, (int)Math.Ceiling((hz - reach) / BinHz));
        var to = Math.Min(logPower.Length - 1, (int)Math.Floor((hz + reach) / BinHz));
        if (from > to)
        {
            from = to = Math.Clamp((int)Math.Round(hz / BinHz), 0, logPower.Length - 1);
        }

        var loudest = logPower[from];
        for (var b = from + 1; b <= to; b++)
        {
            loudest = Math.Max(loudest, logPower[b]);
        }

        return loudest;
    }
}
