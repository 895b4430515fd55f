using StepAudio.Telephony.SipGateway.Media.Playback;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Tests.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Media.Playback;

public sealed class CallPlayoutTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Prompts_queued_back_to_back_play_as_one_talkspurt()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingSender(clock);
        await using var playout = new CallPlayout(sender, clock, bargeInByDefault: true);
        Task<PlayoutResult>? third = null;
        sender.OnSend = n =>
        {
            // Queued while the second prompt plays: it must follow without a gap.
            if (n == 6)
            {
                third = playout.PlayAsync(Prompt(3, 4));
            }
        };

        var first = playout.PlayAsync(Prompt(1, 5));
        var second = playout.PlayAsync(Prompt(2, 3));
        await ClockDriver.RunAsync(clock, WhenIdle(playout, first, second));
        Assert.NotNull(third);
        Assert.Equal(PlayoutResult.Completed, await third);

        Assert.Equal(Enumerable.Range(0, 12).Select(n => n * 20 * Ms), sender.SendTimes);
        Assert.Equal([true, .. Enumerable.Repeat(false, 11)], sender.Markers);
        Assert.Equal(
            [.. Enumerable.Repeat((short)1, 5), .. Enumerable.Repeat((short)2, 3), .. Enumerable.Repeat((short)3, 4)],
            sender.Frames.Select(f => f[0]));
        Assert.Equal(PlayoutResult.Completed, await first);
        Assert.Equal(PlayoutResult.Completed, await second);
    }

    [Fact]
    public async Task A_prompt_after_silence_starts_a_new_talkspurt()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingSender(clock);
        await using var playout = new CallPlayout(sender, clock, bargeInByDefault: true);

        await ClockDriver.RunAsync(clock, playout.PlayAsync(Prompt(1, 3)));
        await WaitIdleAsync(playout);
        clock.Advance(TimeSpan.FromSeconds(1));
        await ClockDriver.RunAsync(clock, playout.PlayAsync(Prompt(2, 2)));

        Assert.Equal([true, false, false, true, false], sender.Markers);
        Assert.Equal(new[] { 0, 20, 40, 1040, 1060 }.Select(t => t * Ms), sender.SendTimes);
    }

    [Fact]
    public async Task Barge_in_stops_the_prompt_before_its_next_frame_and_drops_interruptible_followers()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingSender(clock);
        await using var playout = new CallPlayout(sender, clock, bargeInByDefault: true);
        int sentAtSpeechStart = -1;
        int stopped = -1;
        sender.OnSend = n =>
        {
            if (n == 4)
            {
                sentAtSpeechStart = sender.Frames.Count;
                stopped = playout.BargeIn();
            }
        };

        var prompt = playout.PlayAsync(Prompt(1, 50));
        var follower = playout.PlayAsync(Prompt(2, 50));
        var mustPlay = playout.PlayAsync(Prompt(3, 2), bargeIn: false);
        await ClockDriver.RunAsync(clock, WhenIdle(playout, prompt, follower, mustPlay));

        Assert.Equal(PlayoutResult.BargedIn, await prompt);
        Assert.Equal(PlayoutResult.BargedIn, await follower);
        Assert.Equal(PlayoutResult.Completed, await mustPlay);
        Assert.Equal(2, stopped);
        var fromFirst = sender.Frames.Count(f => f[0] == 1);
        Assert.InRange(fromFirst, sentAtSpeechStart, sentAtSpeechStart + 1);
        Assert.DoesNotContain(sender.Frames, f => f[0] == 2);
        Assert.Equal(2, sender.Frames.Count(f => f[0] == 3));
    }

    [Fact]
    public async Task Barge_in_signalled_between_frames_lets_at_most_one_more_frame_out()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingSender(clock);
        await using var playout = new CallPlayout(sender, clock, bargeInByDefault: true);

        var prompt = playout.PlayAsync(Prompt(1, 50));
        while (sender.Count < 10)
        {
            if (!clock.TryAdvanceToNextTimer())
            {
                await Task.Yield();
            }
        }

        int atSignal = sender.Count;
        playout.BargeIn();
        await ClockDriver.RunAsync(clock, prompt);

        Assert.Equal(PlayoutResult.BargedIn, await prompt);
        Assert.InRange(sender.Count, atSignal, atSignal + 1);
    }

    [Fact]
    public async Task Without_barge_in_the_prompt_plays_to_the_end()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingSender(clock);
        await using var playout = new CallPlayout(sender, clock, bargeInByDefault: false);
        int stopped = -1;
        sender.OnSend = n =>
        {
            if (n == 4)
            {
                stopped = playout.BargeIn();
            }
        };

        var prompt = playout.PlayAsync(Prompt(1, 20));
        await ClockDriver.RunAsync(clock, prompt);

        Assert.Equal(PlayoutResult.Completed, await prompt);
        Assert.Equal(0, stopped);
        Assert.Equal(20, sender.Count);
    }

    [Fact]
    public async Task Cancelling_one_request_stops_only_that_one()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingSender(clock);
        await using var playout = new CallPlayout(sender, clock, bargeInByDefault: true);
        using var cancel = new CancellationTokenSource();
        sender.OnSend = n =>
        {
            if (n == 2)
            {
                cancel.Cancel();
            }
        };

        var first = playout.PlayAsync(Prompt(1, 10), cancellationToken: cancel.Token);
        var second = playout.PlayAsync(Prompt(2, 3));
        await ClockDriver.RunAsync(clock, WhenIdle(playout, first, second));

        Assert.Equal(PlayoutResult.Stopped, await first);
        Assert.Equal(PlayoutResult.Completed, await second);
        Assert.Equal([1, 1, 1, 2, 2, 2], sender.Frames.Select(f => (int)f[0]));
    }

    [Fact]
    public async Task Dispose_stops_everything_and_later_requests_are_refused()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingSender(clock);
        var playout = new CallPlayout(sender, clock, bargeInByDefault: false);
        var prompt = playout.PlayAsync(Prompt(1, 100), bargeIn: false);
        while (sender.Count < 3)
        {
            if (!clock.TryAdvanceToNextTimer())
            {
                await Task.Yield();
            }
        }

        await playout.DisposeAsync();

        Assert.Equal(PlayoutResult.Stopped, await prompt);
        Assert.InRange(sender.Count, 3, 4);
        Assert.Equal(PlayoutResult.Stopped, await playout.PlayAsync(Prompt(2, 1)));
    }

    private static short[] Prompt(short value, int frames) => Enumerable.Repeat(value, frames * RtpSession.SamplesPerFrame).ToArray();

    private static async Task WhenIdle(CallPlayout playout, params Task[] requests)
    {
        await Task.WhenAll(requests);
        await WaitIdleAsync(playout);
    }

    private static async Task WaitIdleAsync(CallPlayout playout)
    {
        while (playout.IsPlaying)
        {
            await Task.Yield();
        }
    }

    private sealed class RecordingSender(ManualTimeProvider clock) : IRtpAudioSender
    {
        private readonly Lock _gate = new();

        public List<TimeSpan> SendTimes { get; } = [];

        public List<bool> Markers { get; } = [];

        public List<short[]> Frames { get; } = [];

        public Action<int>? OnSend { get; set; }

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return Frames.Count;
                }
            }
        }

        public bool SendAudio(ReadOnlySpan<short> pcm8k, bool marker = false)
        {
            int index;
            lock (_gate)
            {
                SendTimes.Add(clock.Now);
                Markers.Add(marker);
                Frames.Add(pcm8k.ToArray());
                index = Frames.Count - 1;
            }

            OnSend?.Invoke(index);
            return true;
        }
    }
}
