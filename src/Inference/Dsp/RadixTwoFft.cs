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
}
