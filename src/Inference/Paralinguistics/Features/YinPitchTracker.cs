using System.Numerics;

namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>
/// F0 by YIN (de Cheveigné &amp; Kawahara 2002) on audio decimated to 8 kHz, restricted to 60–500 Hz, and the
/// normalised autocorrelation at the chosen lag, from which the harmonics-to-noise ratio follows (Boersma 1993:
/// HNR = 10·log10(r / (1 − r))). Pitch needs nothing above 4 kHz, and decimating makes the lag search 4× cheaper.
/// </summary>
internal static class YinPitchTracker
{
    public const double MinimumHz = 60;
    public const double MaximumHz = 500;

    /// <summary>
    /// Pitch candidates <see cref="Analyse"/> reports per voiced frame: the chosen period, then twice it (an octave
    /// lower), half of it (an octave higher) and three times it (a twelfth lower); 0 Hz where out of range.
    /// </summary>
    public const int Candidates = 4;

    /// <summary>Scratch floats <see cref="Analyse"/> needs (difference function up to the longest lag).</summary>
    public const int ScratchLength = MaxLag + 1;

    private const int Rate = 8_000;
    private const int Window = 320; // 40 ms: at least two periods of the lowest pitch after the integration window
    private const int MinLag = (int)(Rate / MaximumHz); // 16
    private const int MaxLag = (int)(Rate / MinimumHz) + 1; // 134
    private const int Integration = Window - MaxLag;

    /// <summary>YIN's absolute threshold on the cumulative-mean-normalised difference (0.1–0.2 in the paper).</summary>
    private const float VoicingThreshold = 0.2f;

    /// <summary>How much deeper a multiple's dip must be: a pure tone matches at every multiple alike, and must not be halved.</summary>
    private const float SubharmonicMargin = 0.01f;


    /// <summary>Halves the rate with a [¼ ½ ¼] low-pass (a zero at 4 kHz); returns the number of samples written.</summary>
    public static int Decimate(ReadOnlySpan<float> pcm16k, Span<float> output)
    {
        var length = pcm16k.Length / 2;
        for (var k = 0; k < length; k++)
        {
            var centre = 2 * k;
            var previous = centre > 0 ? pcm16k[centre - 1] : pcm16k[centre];
            var next = pcm16k[centre + 1];
            var value = (0.25f * previous) + (0.5f * pcm16k[centre]) + (0.25f * next);
            output[k] = float.IsFinite(value) ? value : 0;
        }

        return length;
    }

    /// <summary>Pitch (0 when unvoiced) and periodicity of the 40 ms window centred on <paramref name="centre"/>.</summary>
    /// <param name="pcm8k">The signal the period is searched in.</param>
    /// <param name="fullBand8k">
    /// The same audio before any band limiting: the periodicity (and HNR) at the chosen lag is measured on it, so the
    /// voice-quality measures keep their meaning whatever band the pitch was searched in.
    /// </param>
    /// <param name="centre">Centre sample of the window.</param>
    /// <param name="scratch">At least <see cref="ScratchLength"/> floats.</param>
    /// <param name="recoverFundamental">Apply the subharmonic check (see <see cref="RecoverFundamental"/>).</param>
    /// <param name="candidateHz">
    /// Empty, or <see cref="Candidates"/> floats: the octave alternatives of a voiced frame (see <see cref="Candidates"/>),
    /// all 0 when unvoiced, for <see cref="PitchPathFinder"/>.
    /// </param>
    /// <param name="candidateDip">Empty, or <see cref="Candidates"/> floats: each candidate's normalised difference (lower is better).</param>
    public static (float F0Hz, float Periodicity) Analyse(
        ReadOnlySpan<float> pcm8k, ReadOnlySpan<float> fullBand8k, int centre, Span<float> scratch, bool recoverFundamental = true,
        Span<float> candidateHz = default, Span<float> candidateDip = default)
    {
        candidateHz.Clear();
        candidateDip.Clear();
        var start = centre - (Window / 2);
        if (start < 0)
        {
            start = 0;
        }

        if (start + Window > pcm8k.Length)
        {
            start = pcm8k.Length - Window;
        }

        if (start < 0)
        {
            return (0, 0); // Shorter than one analysis window: no pitch can be claimed.
        }

        var x = pcm8k.Slice(start, Window);
        double mean = 0;
        foreach (var v in x)
        {
            mean += v;
        }

        mean /= Window;
        var m = (float)mean;

        // Difference function d(τ) and its cumulative-mean normalisation d'(τ) (YIN steps 2–3).
        var difference = scratch[..(MaxLag + 1)];
        difference[0] = 1;
        double running = 0;
        for (var lag = 1; lag <= MaxLag; lag++)
        {
            double d = SquaredDistance(x[..Integration], x.Slice(lag, Integration));
            running += d;
            difference[lag] = running > 0 ? (float)(d * lag / running) : 1;
        }

        // YIN step 4: the first dip under the threshold, followed to its local minimum; else the global minimum.
        var best = -1;
        for (var lag = MinLag; lag <= MaxLag; lag++)
        {
            if (difference[lag] < VoicingThreshold)
            {
                while (lag + 1 <= MaxLag && difference[lag + 1] < difference[lag])
                {
                    lag++;
                }

                best = lag;
                break;
            }
        }

        var voiced = best > 0;
        if (!voiced)
        {
            best = MinLag;
            for (var lag = MinLag + 1; lag <= MaxLag; lag++)
            {
                if (difference[lag] < difference[best])
                {
                    best = lag;
                }
            }
        }

        if (voiced && recoverFundamental)
        {
            best = RecoverFundamental(difference, best);
        }

        var full = fullBand8k.Slice(start, Window);
        double fullMean = 0;
        foreach (var v in full)
        {
            fullMean += v;
        }

        var periodicity = NormalisedCorrelation(full, best, (float)(fullMean / Window));
        if (!voiced)
        {
            return (0, periodicity);
        }

        var f0 = Frequency(difference, best);
        if (f0 > 0 && candidateHz.Length >= Candidates && candidateDip.Length >= Candidates)
        {
            candidateHz[0] = (float)f0;
            candidateDip[0] = difference[best];
            ReadOnlySpan<double> multiples = [2, 0.5, 3];
            for (var k = 0; k < multiples.Length; k++)
            {
                var lag = DipNear(difference, (int)Math.Round(best * multiples[k]));
                if (lag > 0 && Frequency(difference, lag) is var hz and > 0)
                {
                    candidateHz[k + 1] = (float)hz;
                    candidateDip[k + 1] = difference[lag];
                }
            }
        }

        return f0 > 0 ? ((float)f0, periodicity) : (0, periodicity);
    }

    /// <summary>YIN step 5: the dip at <paramref name="lag"/> refined by parabolic interpolation, as Hz (0 outside 60–500 Hz).</summary>
    private static double Frequency(ReadOnlySpan<float> difference, int lag)
    {
        double refined = lag;
        if (lag > MinLag && lag < MaxLag)
        {
            double a = difference[lag - 1], b = difference[lag], c = difference[lag + 1];
            var curvature = a - (2 * b) + c;
            if (curvature > 0)
            {
                refined = lag + (0.5 * (a - c) / curvature);
            }
        }

        var f0 = Rate / refined;
        return f0 is >= MinimumHz and <= MaximumHz ? f0 : 0;
    }

    /// <summary>The deepest lag within ±2 samples (and ±3 %) of <paramref name="target"/>; −1 when out of the search range.</summary>
    private static int DipNear(ReadOnlySpan<float> difference, int target)
    {
        var reach = Math.Max(2, target * 3 / 100);
        var from = Math.Max(MinLag, target - reach);
        var to = Math.Min(MaxLag, target + reach);
        if (from > to || target < MinLag - 1 || target > MaxLag + 1)
        {
            return -1;
        }

        var lag = from;
        for (var l = from + 1; l <= to; l++)
        {
            if (difference[l] < difference[lag])
            {
                lag = l;
            }
        }

        return lag;
    }

    /// <summary>
    /// The subharmonic check. Through a telephone channel (300–3400 Hz) a low voice keeps only its upper harmonics, and
    /// the difference function dips at a fraction of the period (T0/2, T0/3) before it reaches the period itself, so
    /// YIN's first dip reads an octave or a twelfth too high. A fraction of the period matches worse than the whole
    /// period, so the smallest multiple k·τ (k = 2…4) whose dip is deeper than the dip at τ (by
    /// <see cref="SubharmonicMargin"/>) wins: the missing
    /// fundamental is recovered as the common period of its harmonics. (Tried on 60 EmoDB sentences through G.711:
    /// a margin of 0.02 instead of 0.01 left 5.4 % octave errors instead of 3.9 %.)
    /// </summary>
    private static int RecoverFundamental(ReadOnlySpan<float> difference, int lag)
    {
        var dip = difference[lag];
        for (var k = 2; k <= 4; k++)
        {
            var centre = k * lag;
            if (centre + 1 > MaxLag)
            {
                break;
            }

            // The multiple's own dip may sit a sample or two off k·τ (the period is not an integer number of samples).
            var candidate = centre;
            for (var l = centre - k; l <= Math.Min(centre + k, MaxLag); l++)
            {
                if (difference[l] < difference[candidate])
                {
                    candidate = l;
                }
            }

            if (difference[candidate] < dip - SubharmonicMargin)
            {
                return candidate;
            }
        }

        return lag;
    }

    /// <summary>Σ(a − b)², vectorised: this inner loop is nearly all of the extractor's CPU time.</summary>
    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sums = Vector<float>.Zero;
        var j = 0;
        for (; j <= a.Length - Vector<float>.Count; j += Vector<float>.Count)
        {
            var delta = new Vector<float>(a[j..]) - new Vector<float>(b[j..]);
            sums += delta * delta;
        }

        double d = Vector.Sum(sums);
        for (; j < a.Length; j++)
        {
            var delta = a[j] - b[j];
            d += delta * delta;
        }

        return d;
    }

    private static float NormalisedCorrelation(ReadOnlySpan<float> x, int lag, float mean)
    {
        double ab = 0, aa = 0, bb = 0;
        var length = Window - lag;
        for (var j = 0; j < length; j++)
        {
            double a = x[j] - mean, b = x[j + lag] - mean;
            ab += a * b;
            aa += a * a;
            bb += b * b;
        }

        var norm = Math.Sqrt(aa * bb);
        return norm > 1e-20 ? (float)Math.Clamp(ab / norm, 0, 1) : 0;
    }
}
