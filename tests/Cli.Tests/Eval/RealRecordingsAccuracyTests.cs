using StepAudio.Telephony.Cli.Eval;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Cli.Tests.Eval;

/// <summary>
/// The shipped analysis (trained models, default configuration) on the committed real recordings
/// (tests/data/real: EmoDB speakers 03 and 08, EmoGator contributors 1, 4 and 7, all through the telephone channel),
/// whose speakers the shipped models were trained without. The floors are regression guards under what was measured
/// when they were written (README "Accuracy on real voices"); the small set makes them coarse.
/// </summary>
public sealed class RealRecordingsAccuracyTests
{
    private static EvalReport Run(string folder) =>
        new EvalRunner(SegmentAnalyzers.CreateDefault(new ParalinguisticsOptions())).Run(folder);

    [Fact]
    public void Emotion_on_unseen_speakers_through_G711_beats_chance_by_far()
    {
        var report = Run(RealRecordings.Path("emotion"));

        Assert.Empty(report.Unreadable);
        var matrix = report.Tasks.Single(t => t.Name == "emotion").Matrix;
        Assert.Equal(24, matrix.Total);
        Assert.True(matrix.MacroRecall >= 0.6, $"emotion UAR {matrix.MacroRecall:F3} (measured 0.67, chance 0.25)");
    }

    [Fact]
    public void Vocal_events_on_unseen_speakers_through_G711_beat_chance()
    {
        var report = Run(RealRecordings.Path("events"));

        var matrix = report.Tasks.Single(t => t.Name == "vocal_event").Matrix;
        Assert.Equal(54, matrix.Total);

        // The shipped model is calibrated so that at most 15 % of non-target bursts raise an event (besides 4 % of
        // speech; README explains the operating point). Measured with it: UAR 0.407, laugh 5 of 9, 2 of the 15
        // non-target bursts raising an event (the 10 % model before: UAR 0.433, none of them).
        Assert.True(matrix.MacroRecall >= 0.35, $"vocal-event UAR {matrix.MacroRecall:F3} (measured 0.407 with the tree model, chance 0.20)");
        var none = matrix.Labels.ToList().IndexOf("none");
        Assert.True(matrix.Count(none, none) >= 12, $"{matrix.Support(none) - matrix.Count(none, none)} of {matrix.Support(none)} non-target bursts raised an event (measured 2)");
        var laugh = matrix.Labels.ToList().IndexOf("laugh");
        Assert.True(matrix.Count(laugh, laugh) >= 4, $"{matrix.Count(laugh, laugh)} of {matrix.Support(laugh)} laughs found (measured 5)");
    }

    [Fact]
    public void Speech_raises_next_to_no_vocal_event()
    {
        // The 24 EmoDB sentences, scored as sounds that must raise no event (the VAD hands speech over as such too).
        using var directory = new TempDirectory();
        foreach (var file in Directory.GetFiles(RealRecordings.Path("emotion"), "*.wav", SearchOption.AllDirectories))
        {
            var speaker = Path.GetFileName(Path.GetDirectoryName(file)!);
            var target = Path.Combine(directory.Path, "none", speaker);
            Directory.CreateDirectory(target);
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        var matrix = Run(directory.Path).Tasks.Single(t => t.Name == "vocal_event").Matrix;

        var none = matrix.Labels.ToList().IndexOf("none");
        Assert.Equal(24, matrix.Support(none));
        Assert.True(matrix.Count(none, none) >= 23, $"{matrix.Support(none) - matrix.Count(none, none)} of 24 sentences raised an event");
    }
}
