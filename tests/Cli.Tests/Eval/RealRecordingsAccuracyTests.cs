using StepAudio.Telephony.Cli.Tests.Data;
using StepAudio.Telephony.Cli.Eval;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Cli.Tests.Eval;

/// <summary>
/// The shipped analysis (trained models, default configuration) on the committed real recordings
/// (tests/data/real: EmoDB speakers 03 and 08, EmoGator contributors 1, 4 and 7, Coswara participants 0Rlzhiz6…,
/// 1ctsxp37… and 2TkAK2YV…, all through the telephone channel),
/// whose speakers the shipped models were trained without. The floors are regression guards under what was measured
/// when they were written (README "Accuracy on real voices"); the small set makes them coarse.
/// </summary>
public sealed class RealRecordingsAccuracyTests
{
    private static EvalReport Run(string folder) =>
        new EvalRunner(SegmentAnalyzers.CreateDefault(new ParalinguisticsOptions()), TestCallCut.Shared).Run(folder);

    [Fact]
    public void Emotion_on_unseen_speakers_through_G711_beats_chance_by_far()
    {
        var report = Run(RealRecordings.Path("emotion"));

        Assert.Empty(report.Unreadable);
        var matrix = report.Tasks.Single(t => t.Name == "emotion").Matrix;
        Assert.Equal(24, matrix.Total);
        // Measured 0.667 since the pitch path's harmonic evidence (0.708 before it). Since speech is cut where a call's
        // VAD finds it (eval and train) and English counting and coloured copies joined the training (2026-12-07):
        // 0.625 (the model before, scored so: 0.667); on the 81 sentences of the same two speakers 0.657 (0.655). Since
        // the model also reads the spectrum against the caller's own (CallerSpectrum) and trains on coloured calls
        // (2026-12-07): 0.708 here, 0.710 on the 81. Since a caller not heard yet is judged by the first-turn model
        // (2026-12-08): 0.667 here (one speaker's first sentence), 0.696 on the 81. One clip moves the UAR by 1/24, so
        // 0.58 leaves two clips of margin.
        Assert.True(matrix.MacroRecall >= 0.58, $"emotion UAR {matrix.MacroRecall:F3} (measured 0.667, chance 0.25)");
    }

    [Fact]
    public void English_counted_aloud_as_a_call_cuts_it_is_heard_as_neutral()
    {
        // 32 speech segments of the 3 Coswara participants counting aloud (Indian English; nobody asked them to sound
        // anything but normal), cut as a call cuts them (scripts/make-counting-set.sh). A caller reading out digits
        // pauses after each: the model trained on EmoDB alone heard 11 of these as sad and 19 as neutral; trained with
        // the other participants' counting as neutral (and EmoDB through coloured lines), 29 neutral and 2 sad
        // (2026-12-07); reading the spectrum against the caller's own and trained on coloured calls, 29 again. 26 leaves
        // three clips of margin; the model trained on EmoDB alone fails it by seven.
        var matrix = Run(RealRecordings.Path("counting")).Tasks.Single(t => t.Name == "emotion").Matrix;

        Assert.Equal(32, matrix.Total);
        var neutral = matrix.Labels.ToList().IndexOf("neutral");
        Assert.True(matrix.Count(neutral, neutral) >= 26, $"{matrix.Count(neutral, neutral)} of 32 counted segments heard as neutral (measured 29)");
    }

    [Fact]
    public void Vocal_events_on_unseen_speakers_through_G711_beat_chance()
    {
        var report = Run(RealRecordings.Path("events"));

        var matrix = report.Tasks.Single(t => t.Name == "vocal_event").Matrix;
        Assert.Equal(78, matrix.Total);

        // The shipped model is calibrated so that at most 15 % of non-target bursts raise an event (besides 4 % of
        // speech; README explains the operating point). Measured with it (LightGBM two-stage, 91 measures, nested
        // size, trained on all 357 EmoGator contributors but these 3 and on Coswara's coughs and shallow breathing but
        // these 3 participants'; span pitch by PitchCentre): UAR 0.506 over the six labels, laugh 5 of 9, 1 of the 21
        // non-target sounds (15 EmoGator bursts, 6 Coswara breaths) raising an event. The model before it, without
        // coughs, scored 0.419 on these 78 clips (no cough found, 2 breaths heard as sighs). Retrained after the pitch
        // path's harmonic evidence: UAR 0.507, laugh 5 of 9, 2 of the 21 non-target sounds raising an event, so that floor
        // moved from at most 3 to at most 4 to keep its two clips of margin. Each floor leaves at least two clips of margin
        // (one clip moves the UAR by at most 1/54; the UAR floor three), so float differences on another CPU that flip
        // a borderline clip or two do not fail it.
        // Since a non-speech clip is judged on its sound as the live finder cuts it (SoundExtent) and the model was
        // retrained so (2026-12-07): UAR 0.569, laugh 5 of 9, 3 of the 21 non-target sounds raising an event; the UAR
        // floor rose to 0.50 (three clips of margin) and the non-target one moved to at most 5 (two clips).
        Assert.True(matrix.MacroRecall >= 0.50, $"vocal-event UAR {matrix.MacroRecall:F3} (measured 0.569, chance 0.167)");
        var none = matrix.Labels.ToList().IndexOf("none");
        Assert.True(matrix.Count(none, none) >= 16, $"{matrix.Support(none) - matrix.Count(none, none)} of {matrix.Support(none)} non-target sounds raised an event (measured 3)");
        var laugh = matrix.Labels.ToList().IndexOf("laugh");
        Assert.True(matrix.Count(laugh, laugh) >= 3, $"{matrix.Count(laugh, laugh)} of {matrix.Support(laugh)} laughs found (measured 5)");
    }

    [Fact]
    public void Coughs_of_unseen_people_through_G711_are_reported_as_coughs()
    {
        // 18 cough bursts of 3 Coswara participants the shipped model never heard (tests/data/real/NOTICE.md).
        var matrix = Run(RealRecordings.Path("events")).Tasks.Single(t => t.Name == "vocal_event").Matrix;

        var cough = matrix.Labels.ToList().IndexOf("cough");
        Assert.Equal(18, matrix.Support(cough));
        // Measured 18 of 18 since clips are judged on their sound (17 before); the hand-written rules find 1 and the
        // model before the coughs none.
        Assert.True(matrix.Count(cough, cough) >= 16, $"{matrix.Count(cough, cough)} of 18 coughs reported as coughs (measured 18)");
    }

    [Fact]
    public void Vocal_events_with_room_tone_either_side_are_heard_as_without_it()
    {
        // An evaluator's recordings, unlike a call's spans, may hold a second of room tone before and after the
        // sound. The same 78 clips with 1 s of faint white noise (about -75 dBFS, fixed seed) either side: the model
        // shipped before judged clips whole and found 7 of the 18 coughs there (UAR 0.379, against 17 and 0.507
        // without); judged on the sound as the live finder cuts it, 16 of 18 (UAR 0.521: re-measured 2026-12-07 21:50
        // UTC at the commit that first wrote 0.540 here, 670b68d, and at every later one tried).
        using var padded = new TempDirectory();
        var matrix = Run(WithRoomTone(RealRecordings.Path("events"), padded.Path)).Tasks.Single(t => t.Name == "vocal_event").Matrix;

        Assert.Equal(78, matrix.Total);
        var cough = matrix.Labels.ToList().IndexOf("cough");
        Assert.True(matrix.Count(cough, cough) >= 14, $"{matrix.Count(cough, cough)} of 18 coughs with room tone reported as coughs (measured 16)");
        Assert.True(matrix.MacroRecall >= 0.45, $"vocal-event UAR with room tone {matrix.MacroRecall:F3} (measured 0.521)");
    }

    [Fact]
    public void Emotion_with_room_tone_either_side_is_heard_as_without_it()
    {
        // The 24 sentences with 1 s of faint white noise either side, as an evaluation set's recordings often hold
        // (a call's VAD hands over the speech alone). Judged whole, as eval did until 2026-12-07, the model shipped
        // then lost 0.085 UAR on the 81 sentences of these two speakers (0.757 to 0.672); cut where the VAD finds the
        // speech, the model then shipped scored 0.625 with and without the noise here, 0.657 and 0.633 on the 81; the
        // one reading the caller's own spectrum and trained on coloured calls (2026-12-07) 0.708 and 0.667 here, 0.710
        // both on the 81; since the first-turn model (2026-12-08) 0.667 and 0.625 here, 0.696 both on the 81. Floor two
        // clips under the measure. On these 24 the shipped model judged whole also stays within the bounds: the
        // cut itself is tested in EvalRunnerSoundCutTests; this guards the score with margins.
        using var padded = new TempDirectory();
        var plain = Run(RealRecordings.Path("emotion")).Tasks.Single(t => t.Name == "emotion").Matrix;
        var matrix = Run(WithRoomTone(RealRecordings.Path("emotion"), padded.Path)).Tasks.Single(t => t.Name == "emotion").Matrix;

        Assert.Equal(24, matrix.Total);
        Assert.True(matrix.MacroRecall >= 0.54, $"emotion UAR with room tone {matrix.MacroRecall:F3} (measured 0.625)");
        Assert.True(Math.Abs(matrix.MacroRecall - plain.MacroRecall) <= 1.5 / 24, $"UAR {plain.MacroRecall:F3} plain against {matrix.MacroRecall:F3} with room tone (measured 0.667 and 0.625)");
    }

    [Fact]
    public void Speech_raises_next_to_no_vocal_event()
    {
        // The 24 EmoDB sentences and the 6 Coswara countings, scored as sounds that must raise no event (the VAD hands
        // speech over as such too).
        using var directory = new TempDirectory();
        var files = Directory.GetFiles(RealRecordings.Path("emotion"), "*.wav", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(RealRecordings.Path("speech", "none"), "*.wav", SearchOption.AllDirectories));
        foreach (var file in files)
        {
            var speaker = Path.GetFileName(Path.GetDirectoryName(file)!);
            var target = Path.Combine(directory.Path, "none", speaker);
            Directory.CreateDirectory(target);
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        var matrix = Run(directory.Path).Tasks.Single(t => t.Name == "vocal_event").Matrix;

        var none = matrix.Labels.ToList().IndexOf("none");
        Assert.Equal(30, matrix.Support(none));
        // Measured: none of the 30 (two may flip on another CPU before this fails).
        Assert.True(matrix.Count(none, none) >= 28, $"{matrix.Support(none) - matrix.Count(none, none)} of 30 sentences raised an event (measured 0)");
    }

    /// <summary>A copy of every clip under <paramref name="originals"/> with 1 s of faint white noise (about -75 dBFS, fixed seed) either side.</summary>
    private static string WithRoomTone(string originals, string scratch)
    {
        var tone = Path.Combine(scratch, "tone.wav");
        ExternalTool.Run("sox", "-R", "-n", "-r", "8000", "-c", "1", "-b", "16", tone, "synth", "1", "whitenoise", "vol", "0.0003");
        foreach (var file in Directory.GetFiles(originals, "*.wav", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(scratch, "set", Path.GetRelativePath(originals, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            ExternalTool.Run("sox", "-R", tone, file, tone, copy);
        }

        return Path.Combine(scratch, "set");
    }
}
