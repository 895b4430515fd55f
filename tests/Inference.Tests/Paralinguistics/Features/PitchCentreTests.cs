using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Features;

/// <summary>
/// The span's pitch (<see cref="PitchCentre"/>, reported as <c>AcousticFeatures.PitchMeanHz</c>): the densest pitch of
/// the confidently voiced frames, which stays put where the mean and the median of every voiced frame move.
/// </summary>
public sealed class PitchCentreTests
{
    [Fact]
    public void Between_two_clusters_it_sits_on_one_and_stays_there_where_the_median_drifts_when_frames_go()
    {
        // A sentence in two registers, 46 frames around 225 Hz and 40 around 150 Hz (each with a slow vibrato of
        // ±0.5 semitone), joined by a glide of 10 frames, all equally loud. The median sits on the glide, between the
        // clusters, and drifts 5 % when 4 frames of the upper cluster lose their voicing (the telephone line's voicing
        // decision); the estimate sits on the larger cluster and stays there.
        var upper = Vibrato(225, 46);
        float[] rest = [.. Vibrato(150, 40), .. Glide(165, 210, 10)];
        float[] all = [.. rest, .. upper];
        float[] fewer = [.. rest, .. upper.Skip(4)];

        var before = Estimate(all, Levels(all.Length, -10));
        var after = Estimate(fewer, Levels(fewer.Length, -10));

        Assert.InRange(before, 215, 230);
        Assert.InRange(after / before, 0.99, 1.01);
        Assert.True(MedianOf(all) / MedianOf(fewer) > 1.04, $"the premise: medians {MedianOf(all):F0} and {MedianOf(fewer):F0} Hz");
    }

    [Fact]
    public void Quiet_frames_far_under_the_loudest_do_not_move_it()
    {
        // 40 loud frames at 220 Hz, 45 frames at 140 Hz 30 dB quieter in the 300–2000 Hz band (a creaky, breathy
        // phrase end whose harmonics the telephone band thins): the mean and the median of all would read under 180 Hz.
        var loud = Vibrato(220, 40);
        var quiet = Vibrato(140, 45);
        float[] f0 = [.. loud, .. quiet];
        float[] levels = [.. Levels(loud.Length, -8), .. Levels(quiet.Length, -38)];

        Assert.InRange(Estimate(f0, levels), 215, 225);
    }

    [Fact]
    public void Too_few_confident_frames_and_every_voiced_frame_counts()
    {
        // Three loud frames only: under the minimum, so the 20 quiet ones at 120 Hz carry the estimate.
        float[] f0 = [.. Vibrato(300, PitchCentre.MinimumFrames - 7), .. Vibrato(120, 20)];
        float[] levels = [.. Levels(PitchCentre.MinimumFrames - 7, -5), .. Levels(20, -40)];

        Assert.InRange(Estimate(f0, levels), 110, 130);
    }

    [Fact]
    public void Unvoiced_frames_are_ignored_and_nothing_voiced_is_zero()
    {
        float[] f0 = [0, 0, .. Vibrato(180, 30), 0, 0, 0];
        Assert.InRange(Estimate(f0, Levels(f0.Length, -12)), 175, 185);
        Assert.Equal(0, Estimate(new float[25], Levels(25, -12)));
        Assert.Equal(0, Estimate([], []));
    }

    private static double Estimate(float[] f0, float[] levels) =>
        PitchCentre.Estimate(f0, levels, new float[f0.Length]);

    /// <summary><paramref name="frames"/> frames around <paramref name="hz"/>, a vibrato of ±0.5 semitone at 5 Hz (10 ms frames).</summary>
    private static float[] Vibrato(double hz, int frames) =>
        [.. Enumerable.Range(0, frames).Select(i => (float)(hz * Math.Pow(2, 0.5 * Math.Sin(2 * Math.PI * 5 * i * 0.01) / 12)))];

    private static float[] Glide(double fromHz, double toHz, int frames) =>
        [.. Enumerable.Range(0, frames).Select(i => (float)(fromHz * Math.Pow(toHz / fromHz, i / (double)(frames - 1))))];

    private static float[] Levels(int frames, float db) => Enumerable.Repeat(db, frames).ToArray();

    private static double MedianOf(float[] f0)
    {
        var voiced = f0.Where(f => f > 0).Order().ToArray();
        return voiced[voiced.Length / 2];
    }
}
