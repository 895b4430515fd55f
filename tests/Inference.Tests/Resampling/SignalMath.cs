namespace StepAudio.Telephony.Inference.Tests.Resampling;

/// <summary>Reference measurements in double precision, independent of the code under test.</summary>
internal static class SignalMath
{
    /// <summary>Amplitude of the component at <paramref name="frequency"/> (single DFT bin, 2/N scaling).</summary>
    public static double ToneAmplitude(ReadOnlySpan<float> signal, double frequency, double sampleRate)
    {
        double re = 0, im = 0;
        for (var n = 0; n < signal.Length; n++)
        {
            double phase = 2 * Math.PI * frequency * n / sampleRate;
            re += signal[n] * Math.Cos(phase);
            im -= signal[n] * Math.Sin(phase);
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / signal.Length;
    }

    /// <summary>|H(f)| of an FIR filter.</summary>
    public static double Magnitude(ReadOnlySpan<float> taps, double frequency, double sampleRate)
    {
        double re = 0, im = 0;
        for (var k = 0; k < taps.Length; k++)
        {
            double phase = 2 * Math.PI * frequency * k / sampleRate;
            re += taps[k] * Math.Cos(phase);
            im -= taps[k] * Math.Sin(phase);
        }

        return Math.Sqrt((re * re) + (im * im));
    }

    public static double Db(double ratio) => 20 * Math.Log10(ratio);

    /// <summary>The lag of <paramref name="candidate"/> relative to <paramref name="reference"/> that maximises their correlation.</summary>
    public static int BestLag(ReadOnlySpan<float> reference, ReadOnlySpan<float> candidate, int maxLag)
    {
        int best = 0;
        double bestCorrelation = double.NegativeInfinity;
        for (int lag = -maxLag; lag <= maxLag; lag++)
        {
            double sum = 0;
            for (var n = Math.Max(0, -lag); n < reference.Length && n + lag < candidate.Length; n++)
            {
                sum += reference[n] * candidate[n + lag];
            }

            if (sum > bestCorrelation)
            {
                bestCorrelation = sum;
                best = lag;
            }
        }

        return best;
    }

    /// <summary>SNR in dB of <paramref name="candidate"/> shifted by <paramref name="lag"/> against <paramref name="reference"/>, over [start, end).</summary>
    public static double Snr(ReadOnlySpan<float> reference, ReadOnlySpan<float> candidate, int lag, int start, int end)
    {
        double signal = 0, noise = 0;
        for (var n = start; n < end; n++)
        {
            double error = candidate[n + lag] - reference[n];
            signal += reference[n] * reference[n];
            noise += error * error;
        }

        return 10 * Math.Log10(signal / noise);
    }

    public static float[] ToFloat(short[] pcm) => pcm.Select(s => s / 32768f).ToArray();
}
