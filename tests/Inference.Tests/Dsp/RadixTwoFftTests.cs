using StepAudio.Telephony.Inference.Dsp;

namespace StepAudio.Telephony.Inference.Tests.Dsp;

public sealed class RadixTwoFftTests
{
    /// <summary>
    /// The planned transform (twiddles and swaps computed once) must give bit for bit what the loop it replaced gave,
    /// so every acoustic feature, and every figure measured on them, stays what it was.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(512)]
    [InlineData(1024)]
    public void Matches_the_unplanned_transform_bit_for_bit(int n)
    {
        var random = new Random(n);
        for (var trial = 0; trial < 20; trial++)
        {
            var re = new float[n];
            var im = new float[n];
            for (var k = 0; k < n; k++)
            {
                re[k] = (float)((random.NextDouble() * 2) - 1);
                im[k] = trial % 2 == 0 ? 0f : (float)((random.NextDouble() * 2) - 1);
            }

            var expectedRe = (float[])re.Clone();
            var expectedIm = (float[])im.Clone();
            ReferenceForward(expectedRe, expectedIm);
            RadixTwoFft.Forward(re, im);

            Assert.Equal(expectedRe, re);
            Assert.Equal(expectedIm, im);
        }
    }

    /// <summary>
    /// The real transform (half length plus a split) gives the complex transform's bins 0 … n/2 of a real frame,
    /// within float rounding: at most 1e-5 of the largest bin's magnitude on any bin.
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(512)]
    [InlineData(1024)]
    public void The_real_transform_matches_the_complex_one_on_real_frames(int n)
    {
        var random = new Random(n + 7);
        for (var trial = 0; trial < 20; trial++)
        {
            var frame = new float[n];
            for (var k = 0; k < n; k++)
            {
                // Noise on odd trials; on even ones a decaying harmonic sound (voiced-speech-like) over a little noise.
                frame[k] = trial % 2 == 1
                    ? (float)((random.NextDouble() * 2) - 1)
                    : (float)((0.5 * Math.Sin(2 * Math.PI * 7.3 * k / n) * Math.Exp(-3.0 * k / n)) + (0.2 * Math.Sin(2 * Math.PI * 21.9 * k / n)) + (0.001 * random.NextDouble()));
            }

            var expectedRe = (float[])frame.Clone();
            var expectedIm = new float[n];
            RadixTwoFft.Forward(expectedRe, expectedIm);
            var re = (float[])frame.Clone();
            var im = Enumerable.Repeat(float.NaN, n).ToArray(); // the input imaginary part is ignored
            RadixTwoFft.ForwardReal(re, im);

            var largest = Enumerable.Range(0, (n / 2) + 1).Max(k => Math.Sqrt((expectedRe[k] * (double)expectedRe[k]) + (expectedIm[k] * (double)expectedIm[k])));
            for (var k = 0; k <= n / 2; k++)
            {
                Assert.True(Math.Abs(re[k] - expectedRe[k]) <= 1e-5 * largest, $"n {n} trial {trial} bin {k}: re {re[k]} vs {expectedRe[k]}");
                Assert.True(Math.Abs(im[k] - expectedIm[k]) <= 1e-5 * largest, $"n {n} trial {trial} bin {k}: im {im[k]} vs {expectedIm[k]}");
            }
        }
    }

    [Fact]
    public void The_real_transform_rejects_lengths_it_cannot_split()
    {
        Assert.Throws<ArgumentException>(() => RadixTwoFft.ForwardReal(new float[2], new float[2]));
        Assert.Throws<ArgumentException>(() => RadixTwoFft.ForwardReal(new float[12], new float[12]));
        Assert.Throws<ArgumentException>(() => RadixTwoFft.ForwardReal(new float[8], new float[4]));
    }

    [Fact]
    public void A_cosine_on_a_bin_lands_in_that_bin()
    {
        const int n = 512;
        var re = new float[n];
        var im = new float[n];
        for (var k = 0; k < n; k++)
        {
            re[k] = MathF.Cos(2 * MathF.PI * 10 * k / n);
        }

        RadixTwoFft.Forward(re, im);

        Assert.Equal(n / 2f, re[10], 2);
        Assert.Equal(n / 2f, re[n - 10], 2);
        Assert.InRange(MathF.Abs(re[11]) + MathF.Abs(im[11]), 0, 1e-2f);
    }

    [Fact]
    public void Rejects_a_length_that_is_not_a_power_of_two()
    {
        Assert.Throws<ArgumentException>(() => RadixTwoFft.Forward(new float[6], new float[6]));
        Assert.Throws<ArgumentException>(() => RadixTwoFft.Forward(new float[8], new float[4]));
    }

    /// <summary>The transform as it was before issue 15: twiddles by recurrence inside every butterfly loop.</summary>
    private static void ReferenceForward(Span<float> re, Span<float> im)
    {
        var n = re.Length;
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
