using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;
using StepAudio.Telephony.Inference.Tests.TestSupport;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Trained;

public sealed class ModelFeaturesTests
{
    private static readonly int Tilt = Index("tilt_re_caller_db_per_octave");
    private static readonly int FirstBand = Index("mel1_re_caller_db");
    private static readonly int FirstRawBand = Index("mel1_db");

    [Fact]
    public void Before_the_caller_has_spoken_their_spectrum_says_nothing()
    {
        var values = Measure(Span(bandOffset: 0, tilt: -12), new SpeakerBaseline());

        Assert.Equal(0, values[Tilt]);
        Assert.All(Enumerable.Range(FirstBand, 8), i => Assert.Equal(0, values[i]));
    }

    [Fact]
    public void Against_the_caller_s_own_spectrum_a_span_is_trusted_by_n_over_n_plus_three()
    {
        var baseline = new SpeakerBaseline();
        baseline.Observe(Span(bandOffset: 0, tilt: -10));
        baseline.Observe(Span(bandOffset: 2, tilt: -12));

        var values = Measure(Span(bandOffset: 5, tilt: -15), baseline);

        // Means after two spans: band offset 1, tilt −11; weight 2 / (2 + 3).
        Assert.Equal(0.4 * (-15 - -11), values[Tilt], 9);
        Assert.All(Enumerable.Range(FirstBand, 8), i => Assert.Equal(0.4 * (5 - 1), values[i], 9));
    }

    [Fact]
    public void A_colour_the_same_on_every_span_of_a_call_drops_out()
    {
        double[] colour = [-6, -3, 0, 1, 2, 3, 4, 4];
        var plain = new SpeakerBaseline();
        var coloured = new SpeakerBaseline();
        for (var i = 0; i < 5; i++)
        {
            plain.Observe(Span(bandOffset: i % 3, tilt: -10 + i));
            coloured.Observe(Span(bandOffset: i % 3, tilt: -10 + i + 3, colour));
        }

        var a = Measure(Span(bandOffset: 4, tilt: -6), plain);
        var b = Measure(Span(bandOffset: 4, tilt: -3, colour), coloured);

        Assert.Equal(a[Tilt], b[Tilt], 9);
        Assert.All(Enumerable.Range(0, 8), band => Assert.Equal(a[FirstBand + band], b[FirstBand + band], 9));
        Assert.NotEqual(a[FirstRawBand], b[FirstRawBand]);
    }

    [Fact]
    public void A_thin_handset_moves_real_speech_s_band_levels_but_hardly_the_caller_relative_ones()
    {
        // One speaker's committed EmoDB sentences (tests/data/real, already through G.711), in file-name order as a call
        // would bring them, as recorded and through a thin handset (scripts/measure-emotion-channels.sh's colouring).
        using var scratch = new TempDirectory();
        var clips = Directory.GetFiles(RealRecordings.Path("emotion"), "*.wav", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(Path.GetDirectoryName(p)) == "emodb-03")
            .OrderBy(Path.GetFileName, StringComparer.Ordinal)
            .ToArray();
        var extractor = new AcousticFeatureExtractor(telephoneBandPitch: true);
        var plain = new SpeakerBaseline();
        var thin = new SpeakerBaseline();
        double raw = 0, relative = 0;
        var judged = 0;
        foreach (var clip in clips)
        {
            var a = extractor.Extract(SoxAudio.ReadMono16k(clip, scratch.Path));
            var b = extractor.Extract(SoxAudio.ReadMono16k(clip, scratch.Path, "equalizer", "400", "1q", "-8", "treble", "+4"));
            if (plain.Spans >= 3)
            {
                var va = Measure(a, plain);
                var vb = Measure(b, thin);
                for (var band = 0; band < 8; band++)
                {
                    raw += Math.Abs(va[FirstRawBand + band] - vb[FirstRawBand + band]);
                    relative += Math.Abs(va[FirstBand + band] - vb[FirstBand + band]);
                }

                judged++;
            }

            plain.Observe(a);
            thin.Observe(b);
        }

        Assert.True(judged >= 6, $"{judged} clips judged");

        // Measured 2026-12-07: the colour moves a band's level by 3.04 dB on average, its caller-relative level by 0.48 dB.
        Assert.True(relative < raw / 3, $"mean band shift {raw / judged / 8:F2} dB raw, {relative / judged / 8:F2} dB against the caller");
    }

    private static int Index(string name) => ModelFeatures.IndexOf(name) is var i and >= 0 ? i : throw new InvalidOperationException(name);

    private static double[] Measure(AcousticFeatures features, SpeakerBaseline baseline)
    {
        var values = new double[ModelFeatures.Names.Count];
        ModelFeatures.Compute(features, SpeakerBaseline.NormsFor(baseline), values);
        return values;
    }

    private static AcousticFeatures Span(double bandOffset, double tilt, double[]? colour = null) =>
        new AcousticFeatures(2, 0.5, 150, 2.5, 7, 0, -26, 6, -16, 0, 10, 0.1, tilt, 4.5, 1, 0.15, 3, 0)
        {
            Shape = new SpectralShape(
                [.. Enumerable.Range(0, 8).Select(b => -10 - b + bandOffset + (colour?[b] ?? 0))], [.. Enumerable.Repeat(3.0, 8)], 0.05, 0.5, 0.5),
        };
}
