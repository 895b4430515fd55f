namespace StepAudio.Telephony.Inference.Dsp;

/// <summary>
/// In-place iterative radix-2 FFT over separate real and imaginary arrays. Written here rather than taken from a
/// package because the analysis needs one fixed size (512) and no allocation per frame.
/// </summary>
internal static class RadixTwoFft
{
    /// <summary>Transforms <paramref name="re"/>/<paramref name="im"/> in place; the length must be a power of two.</summary>
    public static void Forward(Span<float> re, Span<float> im)
    {
        var n = re.Length;
        if (n != im.Length || (n & (n - 1)) != 0)
        {
            throw new ArgumentException("FFT length must be a power of two with equal real and imaginary parts.", nameof(re));
        }

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
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        for (var length = 2; length <= n; length <<= 1)
        {
            var angle = -2 * Math.PI / length;
            var stepRe = Math.Cos(angle);
            var stepIm = Math.Sin(angle);
            var half = length >> 1;
            for (var start = 0; start < n; start += length)
            {
                double wRe = 1, wIm = 0;
                for (var k = 0; k < half; k++)
                {
                    var a = start + k;
                    var b = a + half;
                    var tRe = (float)((re[b] * wRe) - (im[b] * wIm));
                    var tIm = (float)((re[b] * wIm) + (im[b] * wRe));
                    re[b] = re[a] - tRe;
                    im[b] = im[a] - tIm;
                    re[a] += tRe;
                    im[a] += tIm;
                    var nextRe = (wRe * stepRe) - (wIm * stepIm);
                    wIm = (wRe * stepIm) + (wIm * stepRe);
                    wRe = nextRe;
                }
            }
        }
    }
}
