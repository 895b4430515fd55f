using StepAudio.Telephony.Cli.Eval;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.Cli.Tests.Eval;

/// <summary>
/// eval hands the analysis a non-speech recording cut as a call's span finder would cut it, and speech whole: the
/// room tone a recording keeps either side of a sound is not part of what a call measures.
/// </summary>
public sealed class EvalRunnerSoundCutTests
{
    [Fact]
    public void A_sound_is_analysed_without_its_room_tone_and_speech_whole()
    {
        // 1 s of faint noise, a 0.4 s burst, 1 s of faint noise (2.4 s at 16 kHz).
        var random = new Random(7);
        var clip = new float[38_400];
        for (var i = 0; i < clip.Length; i++)
        {
            clip[i] = (float)((random.NextDouble() - 0.5) * 0.001);
        }

        for (var i = 16_000; i < 22_400; i++)
        {
            clip[i] += (float)(0.1 * Math.Sin(2 * Math.PI * 200 * i / 16_000));
        }

        using var folder = new TempDirectory();
        foreach (var label in new[] { "cough", "angry" })
        {
            Directory.CreateDirectory(Path.Combine(folder.Path, label));
            File.WriteAllBytes(Path.Combine(folder.Path, label, "a.wav"), TestWav.Float32(16_000, clip));
        }

        var analyzer = new FakeAnalyzer(constant: true);
        new EvalRunner(analyzer).Run(folder.Path);

        // Labels in ordinal folder order: angry (speech, whole), then cough (cut to the burst, within a 10 ms frame).
        Assert.Equal(2, analyzer.Lengths.Count);
        Assert.Equal(clip.Length, analyzer.Lengths[0]);
        Assert.InRange(analyzer.Lengths[1], 6_400, 6_560);
    }
}
