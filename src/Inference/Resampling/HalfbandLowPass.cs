namespace StepAudio.Telephony.Inference.Resampling;

/// <summary>
/// The linear-phase half-band low-pass shared by <see cref="Upsampler8kTo16k"/> and <see cref="Downsampler16kTo8k"/>,
/// designed once by the Kaiser window method at 16 kHz: cutoff 4 kHz (half the Nyquist frequency), transition band
/// 3.8–4.2 kHz, 151 taps. Measured on the float taps by tests/Inference.Tests/Resampling/HalfbandLowPassTests.cs:
/// passband ripple 0.0021 dB over 0–3.4 kHz and 0.0076 dB over 0–3.8 kHz (bound: <see cref="PassbandRippleDb"/>);
/// stopband attenuation 61.1 dB from 4.2 kHz (bound: <see cref="StopbandAttenuationDb"/>) and 72.4 dB from 4.6 kHz
/// (bound: <see cref="StopbandAttenuationBeyond4600HzDb"/>).
/// </summary>
/// <remarks>
/// A half-band filter has every second tap zero apart from the centre one, so in a 2× polyphase structure one branch
/// is a pure delay and the other carries all the arithmetic; see <see cref="EvenPhase"/>.
/// </remarks>
internal static class HalfbandLowPass
{
    /// <summary>Prototype length; (Length − 1) / 2 must be odd so the end taps are non-zero.</summary>
    public const int Length = 151;

    /// <summary>Index of the centre tap, also the group delay in 16 kHz samples.</summary>
    public const int Center = (Length - 1) / 2;

    /// <summary>Kaiser β for ≈ 62 dB side lobes (Kaiser's formula 0.1102 (A − 8.7)).</summary>
    public const double KaiserBeta = 5.87;

    /// <summary>Upper bound of the measured passband ripple over 0–3.8 kHz.</summary>
    public const double PassbandRippleDb = 0.01;

    /// <summary>Lower bound of the measured stopband attenuation over 4.2–8 kHz.</summary>
    public const double StopbandAttenuationDb = 60;

    /// <summary>Lower bound of the measured stopband attenuation over 4.6–8 kHz.</summary>
    public const double StopbandAttenuationBeyond4600HzDb = 70;

    /// <summary>
    /// The non-trivial polyphase branch: taps h[0], h[2], …, h[Length − 1], normalised so that the branch sums to
    /// exactly 0.5, matching the centre tap, so both branches have unity gain at DC once scaled by 2.
    /// </summary>
    public static float[] EvenPhase { get; } = DesignEvenPhase();

    /// <summary>The full prototype h[0..Length) rebuilt from <see cref="EvenPhase"/> and the 0.5 centre tap.</summary>
    public static float[] Prototype()
    {
        var taps = new float[Length];
        for (var j = 0; j < EvenPhase.Length; j++)
        {
            taps[2 * j] = EvenPhase[j];
        }

        taps[Center] = 0.5f;
        return taps;
    }

    private static float[] DesignEvenPhase()
    {
        var even = new double[(Length + 1) / 2];
        double sum = 0;
        for (var j = 0; j < even.Length; j++)
        {
            int k = 2 * j;
            double t = k - Center;
            double sinc = Math.Sin(Math.PI * t / 2) / (Math.PI * t); // ideal low-pass with cutoff fs/4
            double x = (2.0 * k / (Length - 1)) - 1;
            double window = BesselI0(KaiserBeta * Math.Sqrt(1 - (x * x))) / BesselI0(KaiserBeta);
            even[j] = sinc * window;
            sum += even[j];
        }

        var taps = new float[even.Length];
        for (var j = 0; j < even.Length; j++)
        {
            taps[j] = (float)(even[j] * 0.5 / sum);
        }

        return taps;
    }

    /// <summary>Zeroth-order modified Bessel function of the first kind, by its power series.</summary>
    private static double BesselI0(double x)
    {
        double term = 1;
        double sum = 1;
        double quarterSquare = x * x / 4;
        for (var k = 1; k < 50 && term > sum * 1e-17; k++)
        {
            term *= quarterSquare / (k * k);
            sum += term;
        }

        return sum;
    }
}
