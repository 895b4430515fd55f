namespace StepAudio.Telephony.Inference.Paralinguistics.VocalEvents;

/// <summary>
/// Soft thresholds: 0.5 exactly at the threshold, towards 1 the further past it, towards 0 the further short of it.
/// A rule holds when every cue is at least 0.5; its confidence is the mean of its cues, so "how far past the
/// thresholds" is the explanation of the number.
/// </summary>
internal static class Cue
{
    public static double Above(double value, double threshold, double scale) =>
        0.5 + (0.5 * Math.Tanh((value - threshold) / scale));

    public static double Below(double value, double threshold, double scale) =>
        0.5 + (0.5 * Math.Tanh((threshold - value) / scale));

    public static double Within(double value, double low, double high, double scale) =>
        Math.Min(Above(value, low, scale), Below(value, high, scale));

    /// <summary>The rule's confidence when every cue holds, else 0.</summary>
    public static double All(ReadOnlySpan<double> cues)
    {
        double sum = 0;
        foreach (var c in cues)
        {
            if (c < 0.5)
            {
                return 0;
            }

            sum += c;
        }

        return cues.IsEmpty ? 0 : sum / cues.Length;
    }
}
