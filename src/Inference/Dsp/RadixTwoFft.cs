using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StepAudio.Telephony.Inference.Dsp;

/// <summary>
/// In-place iterative radix-2 FFT over separate real and imaginary arrays. Written here rather than taken from a
/// package because the analysis needs one fixed size (512) and no allocation per frame.
/// </summary>
/// <remarks>
/// The bit-reversal swaps and the twiddle factors of each size are computed once and kept (<see cref="Plan"/>). The
/// twiddles are made by the same double-precision recurrence that used to run inside every butterfly loop, so the
/// output is bit for bit what it was; only the per-frame work is gone (the FFT was 7 % of a held call's CPU, issue 15).
/// </remarks>
internal static class RadixTwoFft
{
    // Index log2(n): the plan of size n, made on first use (a benign race: two threads may build equal plans).
    private static readonly Plan?[] Plans = new Plan?[31];

    // Index log2(n): cos and sin of 2πk/n for k = 0 … n/4, for ForwardReal of size n.
    private static readonly RealPlan?[] RealPlans = new RealPlan?[31];

    /// <summary>Transforms <paramref name="re"/>/<paramref name="im"/> in place; the length must be a power of two.</summary>
    public static void Forward(Span<float> re, Span<float> im)
    {
        var n = re.Length;
        if (n != im.Length || (n & (n - 1)) != 0)
        {
            throw new ArgumentException("FFT length must be a power of two with equal real and imaginary parts.", nameof(re));
        }

        if (n < 2)
        {
            return;
        }

        var plan = Plans[int.Log2(n)] ??= new Plan(n);
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var i = ref MemoryMarshal.GetReference(im);
        var swaps = plan.Swaps;
        for (var s = 0; s < swaps.Length; s += 2)
        {
            int a = swaps[s], b = swaps[s + 1];
            (Unsafe.Add(ref r, a), Unsafe.Add(ref r, b)) = (Unsafe.Add(ref r, b), Unsafe.Add(ref r, a));
            (Unsafe.Add(ref i, a), Unsafe.Add(ref i, b)) = (Unsafe.Add(ref i, b), Unsafe.Add(ref i, a));
        }

        var twiddleRe = plan.TwiddleRe;
        var twiddleIm = plan.TwiddleIm;
        for (int length = 2, t = 0; length <= n; t += length >> 1, length <<= 1)
        {
            var half = length >> 1;
            var wRe = twiddleRe.AsSpan(t, half);
            var wIm = twiddleIm.AsSpan(t, half);
            for (var start = 0; start < n; start += length)
            {
                ref var ra = ref Unsafe.Add(ref r, start);
                ref var ia = ref Unsafe.Add(ref i, start);
                ref var rb = ref Unsafe.Add(ref ra, half);
                ref var ib = ref Unsafe.Add(ref ia, half);
                for (var k = 0; k < wRe.Length; k++)
                {
                    // The float samples are widened to double as before: the same products, the same roundings.
                    var bRe = Unsafe.Add(ref rb, k);
                    var bIm = Unsafe.Add(ref ib, k);
                    var tRe = (float)((bRe * wRe[k]) - (bIm * wIm[k]));
                    var tIm = (float)((bRe * wIm[k]) + (bIm * wRe[k]));
                    ref var aRe = ref Unsafe.Add(ref ra, k);
                    ref var aIm = ref Unsafe.Add(ref ia, k);
                    Unsafe.Add(ref rb, k) = aRe - tRe;
                    Unsafe.Add(ref ib, k) = aIm - tIm;
                    aRe += tRe;
                    aIm += tIm;
                }
            }
        }
    }

    /// <summary>
    /// The spectrum of <paramref name="re"/> read as n real samples (n a power of two, at least 4): afterwards
    /// <c>re[k]</c> and <c>im[k]</c> hold bin k for k = 0 … n/2 (the other bins are the conjugates of these and are
    /// not written; the rest of both spans is scratch). <paramref name="im"/>'s input is ignored.
    /// </summary>
    /// <remarks>
    /// Half the work of <see cref="Forward"/> on the same frame with a zero imaginary part: the even samples are taken
    /// as real parts and the odd ones as imaginary parts of one n/2-point complex transform, and the two half
    /// spectra are separated and combined afterwards (the standard "two real FFTs in one" split, e.g. Oppenheim and
    /// Schafer, Discrete-Time Signal Processing, 3rd ed., problem 9.46). Not bit for bit what <see cref="Forward"/>
    /// gives: within a few float roundings of it (RadixTwoFftTests).
    /// </remarks>
    public static void ForwardReal(Span<float> re, Span<float> im)
    {
        var n = re.Length;
        if (n != im.Length || (n & (n - 1)) != 0 || n < 4)
        {
            throw new ArgumentException("Real FFT length must be a power of two, at least 4, with equal spans.", nameof(re));
        }

        var m = n >> 1;

        // z[j] = x[2j] + i·x[2j+1]. Compacting the even samples forwards never overwrites one not yet read.
        for (var j = 0; j < m; j++)
        {
            im[j] = re[(2 * j) + 1];
            re[j] = re[2 * j];
        }

        Forward(re[..m], im[..m]);

        var plan = RealPlans[int.Log2(n)] ??= new RealPlan(n);
        var cos = plan.Cos;
        var sin = plan.Sin;

        // Bin 0 and bin n/2 both come from Z[0]: X[0] = Zr + Zi, X[n/2] = Zr − Zi, both real.
        double z0Re = re[0], z0Im = im[0];
        re[0] = (float)(z0Re + z0Im);
        im[0] = 0f;
        re[m] = (float)(z0Re - z0Im);
        im[m] = 0f;

        // Bins k and m − k from Z[k] and Z[m − k]: with E = (Z[k] + conj Z[m−k]) / 2 (the even samples' spectrum),
        // O = (Z[k] − conj Z[m−k]) / 2i (the odd samples') and W = e^(−2πik/n): X[k] = E + W·O, X[m−k] = conj(E − W·O).
        for (var k = 1; k <= m >> 1; k++)
        {
            var j = m - k;
            double aRe = re[k], aIm = im[k], bRe = re[j], bIm = im[j];
            var eRe = 0.5 * (aRe + bRe);
            var eIm = 0.5 * (aIm - bIm);
            var oRe = 0.5 * (aIm + bIm);
            var oIm = -0.5 * (aRe - bRe);
            var wRe = cos[k];
            var wIm = -sin[k];
            var tRe = (wRe * oRe) - (wIm * oIm);
            var tIm = (wRe * oIm) + (wIm * oRe);
            re[k] = (float)(eRe + tRe);
            im[k] = (float)(eIm + tIm);
            re[j] = (float)(eRe - tRe);
            im[j] = (float)(tIm - eIm);
        }
    }

    /// <summary>What a transform of one size needs that does not depend on the data.</summary>
    private sealed class Plan
    {
        public Plan(int n)
        {
            var swaps = new List<int>();
            for (int i = 1, j = 0; i < n; i++)
            {
                var bit = n >> 1;
                for (; (j & bit) != 0; bit >>= 1)
                {
                    j ^= bit;
                }

                j ^= bit;
                if (i < j)
                {
                    swaps.Add(i);
                    swaps.Add(j);
                }
            }

            Swaps = [.. swaps];
            TwiddleRe = new double[n - 1];
            TwiddleIm = new double[n - 1];
            for (int length = 2, t = 0; length <= n; t += length >> 1, length <<= 1)
            {
                var angle = -2 * Math.PI / length;
                var stepRe = Math.Cos(angle);
                var stepIm = Math.Sin(angle);
                double wRe = 1, wIm = 0;
                for (var k = 0; k < length >> 1; k++)
                {
                    TwiddleRe[t + k] = wRe;
                    TwiddleIm[t + k] = wIm;
                    var nextRe = (wRe * stepRe) - (wIm * stepIm);
                    wIm = (wRe * stepIm) + (wIm * stepRe);
                    wRe = nextRe;
                }
            }
        }

        /// <summary>Pairs of indices the bit-reversal permutation exchanges, flattened.</summary>
        public int[] Swaps { get; }

        /// <summary>Per stage (length 2, 4, …, n), its half-length twiddles: stage of length L starts at L/2 − 1.</summary>
        public double[] TwiddleRe { get; }

        /// <summary>Imaginary parts, laid out as <see cref="TwiddleRe"/>.</summary>
        public double[] TwiddleIm { get; }
    }

    /// <summary>The twiddles that combine the half spectra in <see cref="ForwardReal"/>.</summary>
    private sealed class RealPlan
    {
        public RealPlan(int n)
        {
            Cos = new double[(n >> 2) + 1];
            Sin = new double[(n >> 2) + 1];
            for (var k = 0; k < Cos.Length; k++)
            {
                Cos[k] = Math.Cos(2 * Math.PI * k / n);
                Sin[k] = Math.Sin(2 * Math.PI * k / n);
            }
        }

        public double[] Cos { get; }

        public double[] Sin { get; }
    }
}
