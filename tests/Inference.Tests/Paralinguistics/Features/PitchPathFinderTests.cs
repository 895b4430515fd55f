using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Features;

/// <summary>
/// The octave path through each frame's candidates (chosen, ×½, ×2, ×⅓ of the frequency): a short run read an octave
/// high goes back to its neighbours' octave, a long one to its phrase's register, a real glide is left alone, and a long
/// pause starts a new path.
/// </summary>
public sealed class PitchPathFinderTests
{
    private const int K = YinPitchTracker.Candidates;

    [Fact]
    public void A_short_run_an_octave_high_takes_the_candidate_that_continues_its_neighbours()
    {
        var hz = Enumerable.Repeat(150f, 40).ToArray();
        for (var i = 15; i < 20; i++)
        {
            hz[i] = 300; // the fundamental lost for five frames: the half period was chosen
        }

        var (f0, candidates, dips) = Frames(hz);
        PitchPathFinder.Choose(f0, candidates, dips);

        Assert.All(f0, f => Assert.Equal(150f, f, 0.01f));
    }

    [Fact]
    public void A_long_run_an_octave_high_is_pulled_back_to_the_phrase_register()
    {
        // Thirty frames read an octave high in a phrase of a hundred: continuity alone keeps such a run (two jumps cost
        // less than thirty alternatives), the phrase's register brings it back.
        var hz = Enumerable.Repeat(150f, 100).ToArray();
        for (var i = 30; i < 60; i++)
        {
            hz[i] = 300;
        }

        var (f0, candidates, dips) = Frames(hz);
        PitchPathFinder.Choose(f0, candidates, dips);

        Assert.All(f0, f => Assert.Equal(150f, f, 0.01f));
    }

    [Fact]
    public void A_phrase_too_short_for_its_own_register_is_judged_against_the_span()
    {
        // Sixty frames at 150 Hz, a pause, then fifteen frames read at 300 Hz: too few to set a register of their own.
        var f0 = TwoPhrases(150f, 60, 300f, 15);

        Assert.All(f0.AsSpan(f0.Length - 15).ToArray(), f => Assert.Equal(150f, f, 0.01f));
        Assert.All(f0.AsSpan(60, PitchPathFinder.MaxGapFrames + 1).ToArray(), f => Assert.Equal(0f, f));
    }

    [Fact]
    public void A_phrase_read_at_three_times_its_fundamental_takes_the_span_register_but_one_an_octave_up_keeps_its_own()
    {
        // Eighty frames at 150 Hz, a pause, then sixty read at 450 Hz (the fundamental's third harmonic): long enough
        // for a register of its own, but no voice moves a twelfth between phrases.
        Assert.All(TwoPhrases(150f, 80, 450f, 60)[^60..], f => Assert.Equal(150f, f, 0.01f));

        // The same second phrase an octave up (300 Hz) is a register a voice can take: it stays.
        Assert.All(TwoPhrases(150f, 80, 300f, 60)[^60..], f => Assert.Equal(300f, f, 0.01f));
    }

    [Fact]
    public void A_span_with_no_voiced_frame_stays_unvoiced()
    {
        var (f0, candidates, dips) = Frames(new float[50]);
        PitchPathFinder.Choose(f0, candidates, dips);

        Assert.All(f0, f => Assert.Equal(0f, f));
    }

    [Fact]
    public void A_glide_is_not_an_octave_jump_and_stays()
    {
        var hz = Enumerable.Range(0, 60).Select(i => (float)(120 * Math.Pow(2, i / 60.0))).ToArray(); // one octave in 0.6 s
        var (f0, candidates, dips) = Frames(hz);
        PitchPathFinder.Choose(f0, candidates, dips);

        Assert.Equal(hz, f0.ToArray());
    }

    [Fact]
    public void Unvoiced_frames_stay_unvoiced_and_a_long_pause_starts_a_new_path()
    {
        var hz = new float[100];
        Array.Fill(hz, 150f, 0, 30);
        Array.Fill(hz, 300f, 30 + PitchPathFinder.MaxGapFrames + 1, 100 - (30 + PitchPathFinder.MaxGapFrames + 1));
        var (f0, candidates, dips) = Frames(hz);
        PitchPathFinder.Choose(f0, candidates, dips);

        Assert.Equal(hz, f0.ToArray()); // a new phrase an octave up is the speaker's, not the tracker's
    }

    [Fact]
    public void The_path_is_cut_where_the_candidate_dip_is_much_worse()
    {
        // Twenty frames at 300 Hz whose octave-lower candidate matches far worse: the voice really went up there.
        var hz = Enumerable.Repeat(150f, 60).ToArray();
        for (var i = 15; i < 35; i++)
        {
            hz[i] = 300;
        }

        var (f0, candidates, dips) = Frames(hz);
        for (var i = 15; i < 35; i++)
        {
            dips[(i * K) + 1] = 0.9f;
        }

        PitchPathFinder.Choose(f0, candidates, dips);

        Assert.Equal(hz, f0.ToArray());
    }

    [Fact]
    public void Harmonic_evidence_moves_a_whole_phrase_read_an_octave_high_and_costs_nothing_at_zero()
    {
        // Every frame chose 300 Hz (its register too), but the spectrum says 150 Hz: only the evidence can move it.
        var hz = Enumerable.Repeat(300f, 60).ToArray();
        var (f0, candidates, dips) = Frames(hz);
        var evidence = new float[candidates.Length];
        for (var i = 0; i < hz.Length; i++)
        {
            evidence[(i * K) + 1] = 15; // the 150 Hz candidate: harmonics at its multiples, troughs between
        }

        var unchanged = (float[])f0.Clone();
        PitchPathFinder.Choose(unchanged, candidates, dips, evidence, harmonicCost: 0);
        Assert.All(unchanged, f => Assert.Equal(300f, f, 0.01f));

        PitchPathFinder.Choose(f0, candidates, dips, evidence, harmonicCost: 0.2);
        Assert.All(f0, f => Assert.Equal(150f, f, 0.01f));
    }

    [Fact]
    public void Harmonic_evidence_never_pulls_a_reading_up_an_octave()
    {
        // Every frame chose 150 Hz, and the 300 Hz candidate has the better evidence: as shipped the evidence only
        // charges candidates above the best-evidenced one, because telling a low voice from half of it needs troughs
        // a 64 ms window does not resolve (an 85 Hz vowel was read 170 Hz when both directions paid).
        var hz = Enumerable.Repeat(150f, 60).ToArray();
        var (f0, candidates, dips) = Frames(hz);
        var evidence = new float[candidates.Length];
        for (var i = 0; i < hz.Length; i++)
        {
            evidence[(i * K) + 2] = 30; // the 300 Hz candidate
        }

        PitchPathFinder.Choose(f0, candidates, dips, evidence, PitchPathFinder.HarmonicEvidenceCost);
        Assert.All(f0, f => Assert.Equal(150f, f, 0.01f));
    }

    /// <summary>The path through two phrases a pause apart, each read at one frequency throughout.</summary>
    private static float[] TwoPhrases(float firstHz, int firstFrames, float secondHz, int secondFrames)
    {
        var hz = new float[firstFrames + PitchPathFinder.MaxGapFrames + 1 + secondFrames];
        Array.Fill(hz, firstHz, 0, firstFrames);
        Array.Fill(hz, secondHz, hz.Length - secondFrames, secondFrames);
        var (f0, candidates, dips) = Frames(hz);
        PitchPathFinder.Choose(f0, candidates, dips);
        return f0;
    }

    private static (float[] F0, float[] Candidates, float[] Dips) Frames(float[] hz)
    {
        var candidates = new float[hz.Length * K];
        var dips = new float[hz.Length * K];
        for (var i = 0; i < hz.Length; i++)
        {
            if (hz[i] <= 0)
            {
                continue;
            }

            float[] alternatives = [hz[i], hz[i] / 2, hz[i] * 2, hz[i] / 3];
            for (var j = 0; j < K; j++)
            {
                var valid = alternatives[j] is >= (float)YinPitchTracker.MinimumHz and <= (float)YinPitchTracker.MaximumHz;
                candidates[(i * K) + j] = valid ? alternatives[j] : 0;
                dips[(i * K) + j] = 0.1f;
            }
        }

        return ((float[])hz.Clone(), candidates, dips);
    }
}
