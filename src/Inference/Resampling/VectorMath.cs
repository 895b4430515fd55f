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
}
