namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>
/// Removes octave jumps from an F0 track. A voice does not leap an octave for one or two frames; a pitch tracker does,
/// when the frame's fundamental is missing (telephone band: 300–3400 Hz) or weak. Each voiced frame is compared with
/// the median of the voiced frames within ±<see cref="HalfWindowFrames"/> frames; a frame more than
/// <see cref="JumpSemitones"/> above or below it is moved by the octave (×½, ×⅓, ×2) that brings it closest, when
/// that lands within <see cref="AcceptSemitones"/> of the median. Frames are corrected against the original track,
/// so a correction never feeds the next one.
/// </summary>
internal static class PitchOctaveCorrector
{
    /// <summary>±0.3 s of context: longer than a jump, shorter than a phrase's intonation.</summary>
    public const int HalfWindowFrames = 30;

    /// <summary>Farther than this from the local median is a candidate jump (an octave is 12, a fifth 7).</summary>
    public const double JumpSemitones = 8;

    /// <summary>After correction the frame must be at least this close to the local median.</summary>
    public const double AcceptSemitones = 4;

    private static readonly float[] Factors = [0.5f, 1f / 3, 2f];

    /// <summary>Corrects <paramref name="f0"/> in place (0 = unvoiced, left alone); <paramref name="scratch"/> holds at least 2·window + 1 + length floats.</summary>
    public static void Correct(Span<float> f0, Span<float> scratch)
    {
        var original = scratch[..f0.Length];
        f0.CopyTo(original);
        var window = scratch.Slice(f0.Length, (2 * HalfWindowFrames) + 1);
        for (var i = 0; i < f0.Length; i++)
        {
            if (original[i] <= 0)
            {
                continue;
            }

            var count = 0;
            for (var k = Math.Max(0, i - HalfWindowFrames); k <= Math.Min(f0.Length - 1, i + HalfWindowFrames); k++)
            {
                if (original[k] > 0)
                {
                    window[count++] = original[k];
                }
            }

            if (count < 5)
            {
                continue; // Too little context to call anything a jump.
            }

            var context = window[..count];
            context.Sort();
            var median = context[count / 2];
            if (Math.Abs(Semitones(original[i], median)) <= JumpSemitones)
            {
                continue;
            }

            var best = original[i];
            var bestDistance = Math.Abs(Semitones(best, median));
            foreach (var factor in Factors)
            {
                var candidate = original[i] * factor;
                var distance = Math.Abs(Semitones(candidate, median));
                if (distance < bestDistance && candidate is >= (float)YinPitchTracker.MinimumHz and <= (float)YinPitchTracker.MaximumHz)
                {
                    best = candidate;
                    bestDistance = distance;
                }
            }

            if (bestDistance <= AcceptSemitones)
            {
                f0[i] = best;
            }
        }
    }

    private static double Semitones(double f, double reference) => 12 * Math.Log2(f / reference);
}
