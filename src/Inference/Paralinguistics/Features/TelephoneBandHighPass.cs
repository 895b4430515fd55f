namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>
/// A 4th-order Butterworth high-pass at 300 Hz for 8 kHz audio (two biquads, RBJ cookbook coefficients with
/// Q = 0.5412 and 1.3066). Pitch is tracked on the band a G.711 call carries whatever the call's codec, so that a
/// caller's F0 and voicing read the same over G.711 and G.722: the low harmonics a wideband call adds would otherwise
/// change which frames are voiced and move the median F0 between the two.
/// </summary>
internal static class TelephoneBandHighPass
{
    private const double CutoffHz = 300;
    private const double Rate = 8_000;

    private static readonly Section First = Design(0.541196);
    private static readonly Section Second = Design(1.306563);

    /// <summary>Filters <paramref name="samples"/> in place, from rest.</summary>
    public static void Apply(Span<float> samples)
    {
        First.Run(samples);
        Second.Run(samples);
    }

    private static Section Design(double q)
    {
        var w = 2 * Math.PI * CutoffHz / Rate;
        var alpha = Math.Sin(w) / (2 * q);
        var cos = Math.Cos(w);
        var a0 = 1 + alpha;
        return new Section(
            (1 + cos) / 2 / a0,
            -(1 + cos) / a0,
            (1 + cos) / 2 / a0,
            -2 * cos / a0,
            (1 - alpha) / a0);
    }

    private sealed record Section(double B0, double B1, double B2, double A1, double A2)
    {
        public void Run(Span<float> x)
        {
            double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
            for (var n = 0; n < x.Length; n++)
            {
                double input = x[n];
                var y = (B0 * input) + (B1 * x1) + (B2 * x2) - (A1 * y1) - (A2 * y2);
                x2 = x1;
                x1 = input;
                y2 = y1;
                y1 = y;
                x[n] = (float)y;
            }
        }
    }
}
