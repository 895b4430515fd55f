using StepAudio.Telephony.Inference.Turns;
using static StepAudio.Telephony.Inference.Tests.Turns.SpanAudio;

namespace StepAudio.Telephony.Inference.Tests.Turns;

public sealed class SoundExtentTests
{
    [Fact]
    public void A_sound_with_room_tone_either_side_is_cut_where_the_live_finder_cuts_it()
    {
        var clip = Noise(2.4, 0.0003, seed: 1);
        AddBurst(clip, from: 1.0, seconds: 0.4, rms: 0.1);

        var (start, length) = SoundExtent.Find(clip);

        // The finder works in 10 ms frames: the cut starts and ends within a frame of the burst.
        Assert.InRange(start, (int)(0.99 * Rate), (int)(1.0 * Rate));
        Assert.InRange(start + length, (int)(1.4 * Rate), (int)(1.41 * Rate));
    }

    [Fact]
    public void Bursts_with_pauses_between_them_are_one_sound_from_the_first_to_the_last()
    {
        // A laugh's bursts, or a run of coughs: gaps longer than the finder bridges make several spans; the clip is one sound.
        var clip = Noise(3.0, 0.0003, seed: 2);
        AddBurst(clip, from: 0.8, seconds: 0.2, rms: 0.1);
        AddBurst(clip, from: 1.4, seconds: 0.2, rms: 0.1);
        AddBurst(clip, from: 2.0, seconds: 0.3, rms: 0.1);

        var (start, length) = SoundExtent.Find(clip);

        Assert.InRange(start, (int)(0.79 * Rate), (int)(0.8 * Rate));
        Assert.InRange(start + length, (int)(2.3 * Rate), (int)(2.31 * Rate));
    }

    [Fact]
    public void A_clip_cut_at_its_onset_or_with_no_sound_is_kept_whole()
    {
        var cut = Noise(1.0, 0.0003, seed: 3);
        AddBurst(cut, from: 0.0, seconds: 0.5, rms: 0.1); // as the live finder hands a span over: loud from its first frame
        var quiet = Noise(1.0, 0.0003, seed: 4);

        Assert.Equal((0, cut.Length), SoundExtent.Find(cut));
        Assert.Equal((0, quiet.Length), SoundExtent.Find(quiet));
        Assert.Equal((0, 0), SoundExtent.Find([]));
    }

    [Fact]
    public void A_sound_longer_than_the_live_maximum_is_still_found_whole()
    {
        // Live, a span over MaxMs is taken for a change of background; a clip handed over whole is one sound.
        var clip = Noise(6.0, 0.0003, seed: 5);
        AddBurst(clip, from: 1.0, seconds: 4.0, rms: 0.1);

        var (start, length) = SoundExtent.Find(clip);

        Assert.InRange(start, (int)(0.99 * Rate), (int)(1.0 * Rate));
        Assert.InRange(start + length, (int)(5.0 * Rate), (int)(5.01 * Rate));
    }
}
