using System.Numerics;

namespace StepAudio.Telephony.Inference.Resampling;

internal static class VectorMath
{
    /// <summary>Dot product of two equally long spans using SIMD lanes, then a scalar tail.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var accumulator = Vector<float>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            accumulator += new Vector<float>(a.Slice(i)) * new Vector<float>(b.Slice(i));
        }

        float sum = Vector.Sum(accumulator);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// FIR filtering of a block: <c>y[n] = Σ_j taps[j] · x[n + j]</c> for every n in <paramref name="y"/>, where
    /// <paramref name="x"/> holds <c>y.Length + taps.Length − 1</c> samples, oldest first.
    /// </summary>
    /// <remarks>
    /// SIMD runs across outputs rather than across taps: each lane accumulates one output over the taps in order, so
    /// there is no horizontal sum per sample, and the scalar tail sums in the same order. An output therefore does
    /// not depend on where a block boundary falls, which keeps streamed frames bit-identical to one long block.
    /// </remarks>
    public static void Convolve(ReadOnlySpan<float> x, ReadOnlySpan<float> taps, Span<float> y)
    {
        int width = Vector<float>.Count;
        int n = 0;
        for (; n <= y.Length - (2 * width); n += 2 * width)
        {
            // Two accumulators per pass hide the latency of the add chain.
            var first = Vector<float>.Zero;
            var second = Vector<float>.Zero;
            var window = x.Slice(n, taps.Length + (2 * width) - 1);
            for (var j = 0; j < taps.Length; j++)
            {
                var tap = new Vector<float>(taps[j]);
                first += tap * new Vector<float>(window.Slice(j, width));
                second += tap * new Vector<float>(window.Slice(j + width, width));
            }

            first.CopyTo(y.Slice(n, width));
            second.CopyTo(y.Slice(n + width, width));
        }

        for (; n <= y.Length - width; n += width)
        {
            var accumulator = Vector<float>.Zero;
            var window = x.Slice(n, taps.Length + width - 1);
            for (var j = 0; j < taps.Length; j++)
            {
                accumulator += new Vector<float>(taps[j]) * new Vector<float>(window.Slice(j, width));
            }

            accumulator.CopyTo(y.Slice(n, width));
        }

        for (; n < y.Length; n++)
        {
            var window = x.Slice(n, taps.Length);
            float sum = 0;
            for (var j = 0; j < taps.Length; j++)
            {
                sum += taps[j] * window[j];
            }

            y[n] = sum;
        }
    }
}
