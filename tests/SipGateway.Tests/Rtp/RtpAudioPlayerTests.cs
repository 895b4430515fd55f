using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

public sealed class RtpAudioPlayerTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Frames_leave_exactly_every_20_ms_with_the_marker_on_the_first()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingSender(clock);
        var audio = Enumerable.Range(0, 10 * 160).Select(i => (short)i).ToArray();

        await RunAsync(clock, new RtpAudioPlayer(sender, clock).PlayAsync(audio));

        Assert.Equal(Enumerable.Range(0, 10).Select(n => n * 20 * Ms), sender.SendTimes);
        Assert.Equal([true, false, false, false, false, false, false, false, false, false], sender.Markers);
        Assert.Equal(audio, sender.Frames.SelectMany(f => f));
    }

    [Fact]
    public async Task A_short_stall_is_caught_up_without_drift()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingSender(clock) { StallAtFrame = 2, Stall = 50 * Ms };

        await RunAsync(clock, new RtpAudioPlayer(sender, clock).PlayAsync(new short[8 * 160]));

        // Frame 2 went out at 40 ms and the sender then hung until 90 ms; the schedule itself stays on 20 ms ticks.
        Assert.Equal(new[] { 0, 20, 40, 90, 90, 100, 120, 140 }.Select(t => t * Ms), sender.SendTimes);
    }

    [Fact]
    public async Task A_long_stall_moves_the_schedule_instead_of_bursting()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingSender(clock) { StallAtFrame = 2, Stall = 250 * Ms };

        await RunAsync(clock, new RtpAudioPlayer(sender, clock).PlayAsync(new short[6 * 160]));

        Assert.Equal(new[] { 0, 20, 40, 290, 310, 330 }.Select(t => t * Ms), sender.SendTimes);
    }

    [Fact]
    public async Task The_last_partial_frame_is_padded_with_silence()
    {
        var clock = new ManualTimeProvider();
        var sender = new RecordingSender(clock);
        var audio = Enumerable.Repeat((short)1000, 170).ToArray();

        await RunAsync(clock, new RtpAudioPlayer(sender, clock).PlayAsync(audio));

        Assert.Equal(2, sender.Frames.Count);
        Assert.All(sender.Frames, f => Assert.Equal(160, f.Length));
        Assert.Equal(Enumerable.Repeat((short)1000, 10).Concat(new short[150]), sender.Frames[1]);
    }

    [Fact]
    public async Task Cancellation_stops_playback()
    {
        var clock = new ManualTimeProvider();
        using var cancellation = new CancellationTokenSource();
        var sender = new RecordingSender(clock) { OnSend = n => { if (n == 2) cancellation.Cancel(); } };

        var play = new RtpAudioPlayer(sender, clock).PlayAsync(new short[50 * 160], cancellation.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(clock, play));

        Assert.Equal(3, sender.Frames.Count);
    }

    private static async Task RunAsync(ManualTimeProvider clock, Task playback)
    {
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!playback.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < giveUp, "playback did not finish");
            if (!clock.TryAdvanceToNextTimer())
            {
                await Task.Delay(1);
            }
        }

        await playback;
    }

    private sealed class RecordingSender(ManualTimeProvider clock) : IRtpAudioSender
    {
        public List<TimeSpan> SendTimes { get; } = [];

        public List<bool> Markers { get; } = [];

        public List<short[]> Frames { get; } = [];

        public int StallAtFrame { get; init; } = -1;

        public TimeSpan Stall { get; init; }

        public Action<int>? OnSend { get; init; }

        public bool SendAudio(ReadOnlySpan<short> pcm8k, bool marker = false)
        {
            SendTimes.Add(clock.Now);
            Markers.Add(marker);
            Frames.Add(pcm8k.ToArray());
            if (Frames.Count - 1 == StallAtFrame)
            {
                clock.Advance(Stall);
            }

            OnSend?.Invoke(Frames.Count - 1);
            return true;
        }
    }
}
