using System.Globalization;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Benchmarks.VadGate;

/// <summary>
/// Where each laid-out utterance really has speech, from the clean clip's own level (10 ms frames within 40 dB of its
/// loudest, as the test corpus does), and how a detector's segments compare with it: an utterance is missed when no
/// segment overlaps its speech; otherwise its onset error is the overlapping segment's start minus the speech's start
/// (segments carry 30 ms of padding, so a good onset is slightly negative).
/// </summary>
internal static class OnsetTruth
{
    private const double SpeechFloorDb = 40;

    /// <summary>The speech extent of <paramref name="clip"/> placed at <paramref name="at"/>, in 16 kHz samples.</summary>
    public static (long Start, long End) Extent(float[] clip, long at, int rate)
    {
        var frame = rate / 100;
        var frames = clip.Length / frame;
        var levels = new double[frames];
        for (var i = 0; i < frames; i++)
        {
            double sum = 0;
            foreach (var s in clip.AsSpan(i * frame, frame))
            {
                sum += (double)s * s;
            }

            levels[i] = 10 * Math.Log10((sum / frame) + 1e-20);
        }

        var floor = levels.Max() - SpeechFloorDb;
        var first = Array.FindIndex(levels, l => l > floor);
        var last = Array.FindLastIndex(levels, l => l > floor);
        var scale = SpeechSegment.SampleRate / rate;
        return ((at + ((long)first * frame)) * scale, (at + ((long)(last + 1) * frame)) * scale);
    }

    /// <summary>One line: missed utterances and the onset error against the true speech.</summary>
    public static string Report(string label, List<(long Start, long End)> truth, List<SpeechSegment> segments)
    {
        var missed = 0;
        var errors = new List<double>();
        foreach (var (start, end) in truth)
        {
            var segment = segments.FirstOrDefault(g => g.StartSample < end && g.EndSample > start);
            if (segment.EndSample <= segment.StartSample)
            {
                missed++;
                continue;
            }

            errors.Add((segment.StartSample - start) * 1000.0 / SpeechSegment.SampleRate);
        }

        errors.Sort();
        double At(double p) => errors.Count == 0 ? 0 : errors[Math.Min(errors.Count - 1, (int)Math.Ceiling(p * errors.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"TRUTH {label} utterances={truth.Count} missed={missed} onset_error_ms p50={At(0.5):0} p95={At(0.95):0} max={At(1.0):0} later_than_100ms={errors.Count(e => e > 100)} segments={segments.Count}");
    }
}
