namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>In-place iterative radix-2 FFT (the log-mel front end's only need; sizes are powers of two).</summary>
internal static class Fft
{
    public static void Forward(Span<double> real, Span<double> imag)
    {
        var n = real.Length;
        if (n != imag.Length || (n & (n - 1)) != 0)
        {
            throw new ArgumentException("FFT length must be a power of two with equal real and imaginary parts.", nameof(real));
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
                (real[i], real[j]) = (real[j], real[i]);
                (imag[i], imag[j]) = (imag[j], imag[i]);
            }
        }

        for (var length = 2; length <= n; length <<= 1)
        {
            var angle = -2 * Math.PI / length;
            var wReal = Math.Cos(angle);
            var wImag = Math.Sin(angle);
            for (var start = 0; start < n; start += length)
            {
                double curReal = 1, curImag = 0;
                for (var k = 0; k < length / 2; k++)
                {
                    var a = start + k;
                    var b = a + (length / 2);
                    var tReal = (real[b] * curReal) - (imag[b] * curImag);
                    var tImag = (real[b] * curImag) + (imag[b] * curReal);
                    real[b] = real[a] - tReal;
                    imag[b] = imag[a] - tImag;
                    real[a] += tReal;
                    imag[a] += tImag;
                    var next = (curReal * wReal) - (curImag * wImag);
                    curImag = (curReal * wImag) + (curImag * wReal);
                    curReal = next;
                }
            }
        }
    }
}
