using StepAudio.Telephony.SipGateway.Calls;

namespace StepAudio.Telephony.SipGateway.Tests.Calls;

public sealed class CallerAudioTimelineTests
{
    [Fact]
    public void Frames_in_step_are_fed_as_they_are()
    {
        var timeline = new CallerAudioTimeline();

        Assert.Equal([0, 0, 0], new uint[] { 1000, 1160, 1320 }.Select(ts => timeline.Place(ts, 160, 8000)));
    }

    [Fact]
    public void A_frame_the_jitter_buffer_dropped_becomes_silence_so_later_speech_keeps_its_time()
    {
        var timeline = new CallerAudioTimeline();
        timeline.Place(1000, 160, 8000);

        Assert.Equal(160, timeline.Place(1320, 160, 8000)); // 1160 was dropped to shrink the delay
        Assert.Equal(0, timeline.Place(1480, 160, 8000));
    }

    [Fact]
    public void A_frame_that_repeats_time_already_fed_is_left_out()
    {
        var timeline = new CallerAudioTimeline();
        timeline.Place(1000, 160, 8000);
        timeline.Place(1160, 160, 8000); // inserted to grow the delay: it carries the timestamp of the frame it precedes

        Assert.Equal(-1, timeline.Place(1160, 160, 8000));
        Assert.Equal(0, timeline.Place(1320, 160, 8000));
    }

    [Fact]
    public void Wideband_frames_count_in_the_8_kHz_rtp_clock_of_rfc_3551_and_timestamps_wrap()
    {
        var timeline = new CallerAudioTimeline();
        timeline.Place(uint.MaxValue - 159, 320, 16_000); // 20 ms of G.722: 320 samples, 160 clock ticks

        Assert.Equal(320, timeline.Place(160, 320, 16_000)); // one 20 ms frame missing across the wrap
    }

    [Fact]
    public void A_jump_beyond_a_second_is_followed_not_filled()
    {
        var timeline = new CallerAudioTimeline();
        timeline.Place(1000, 160, 8000);

        Assert.Equal(0, timeline.Place(900_000, 160, 8000)); // a new source or a resynchronisation
        Assert.Equal(0, timeline.Place(900_160, 160, 8000));
    }
}
