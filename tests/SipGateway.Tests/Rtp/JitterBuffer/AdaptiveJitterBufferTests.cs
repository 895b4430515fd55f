using StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp.JitterBuffer;

public sealed class AdaptiveJitterBufferTests
{
    private const int Frame = 160;

    private readonly AdaptiveJitterBuffer _buffer = new(new JitterBufferOptions(), 8000);
    private readonly List<(JitterFrameKind Kind, uint Timestamp, int Marker)> _out = [];

    [Fact]
    public void Reordered_packets_come_out_in_timestamp_order()
    {
        Push(0, 0);
        Push(2, 20);
        Push(1, 21);
        Push(3, 40);
        Push(4, 60);
        ReleaseUntil(1000);

        Assert.Equal([0, 1, 2, 3, 4], _out.Select(f => f.Marker));
        Assert.All(_out, f => Assert.Equal(JitterFrameKind.Normal, f.Kind));
        Assert.Equal(new uint[] { 0, 160, 320, 480, 640 }, _out.Select(f => f.Timestamp));
        Assert.Equal(1, _buffer.GetStatistics().PacketsReordered);
    }

    [Fact]
    public void A_single_lost_packet_is_concealed()
    {
        foreach (var seq in new[] { 0, 1, 3, 4 })
        {
            Push(seq, seq * 20);
        }

        ReleaseUntil(1000);
        Assert.Equal(
            [JitterFrameKind.Normal, JitterFrameKind.Normal, JitterFrameKind.Concealed, JitterFrameKind.Normal, JitterFrameKind.Normal],
            _out.Select(f => f.Kind));
        Assert.Equal(320u, _out[2].Timestamp);
        var statistics = _buffer.GetStatistics();
        Assert.Equal(1, statistics.FramesConcealed);
        Assert.Equal(0, statistics.FramesMissing);
    }

    [Fact]
    public void A_burst_loss_is_missing_and_playout_goes_on()
    {
        foreach (var seq in new[] { 0, 1, 5, 6 })
        {
            Push(seq, seq * 20);
        }

        ReleaseUntil(1000);
        Assert.Equal(
            [JitterFrameKind.Normal, JitterFrameKind.Normal, JitterFrameKind.Missing, JitterFrameKind.Missing,
             JitterFrameKind.Missing, JitterFrameKind.Normal, JitterFrameKind.Normal],
            _out.Select(f => f.Kind));
        Assert.Equal([0, 1, -1, -1, -1, 5, 6], _out.Select(f => f.Marker));
        Assert.Equal(3, _buffer.GetStatistics().FramesMissing);
        Assert.Equal(0, _buffer.GetStatistics().FramesConcealed);
    }

    [Fact]
    public void Late_and_duplicate_packets_are_dropped_and_counted()
    {
        Push(0, 0);
        Push(1, 20);
        Push(3, 60);
        Assert.False(_buffer.Push(3, 3 * Frame, [3], Frame, TimeSpan.FromMilliseconds(61))); // duplicate in the buffer
        ReleaseUntil(500);
        Assert.False(_buffer.Push(2, 2 * Frame, [2], Frame, TimeSpan.FromMilliseconds(501))); // its slot was concealed
        Assert.False(_buffer.Push(1, 1 * Frame, [1], Frame, TimeSpan.FromMilliseconds(502))); // already played

        var statistics = _buffer.GetStatistics();
        Assert.Equal(1, statistics.PacketsLate);
        Assert.Equal(2, statistics.PacketsDuplicate);
        Assert.Equal([0, 1, -1, 3], _out.Select(f => f.Marker));
    }

    [Fact]
    public void Sequence_and_timestamp_wrap_keep_order_without_loss()
    {
        // Arrival order 65534, 0, 65535, 1 with timestamps wrapping past 2^32 at the same time.
        uint baseTimestamp = uint.MaxValue - Frame - 159;
        (ushort Seq, int Index)[] arrivals = [(65534, 0), (0, 2), (65535, 1), (1, 3)];
        for (var i = 0; i < arrivals.Length; i++)
        {
            var (seq, index) = arrivals[i];
            uint timestamp = unchecked(baseTimestamp + (uint)(index * Frame));
            Assert.True(_buffer.Push(seq, timestamp, [(byte)index], Frame, TimeSpan.FromMilliseconds(i)));
        }

        ReleaseUntil(1000);
        Assert.Equal([0, 1, 2, 3], _out.Select(f => f.Marker));
        Assert.All(_out, f => Assert.Equal(JitterFrameKind.Normal, f.Kind));
        Assert.Equal(unchecked(baseTimestamp + (3 * Frame)), _out[3].Timestamp);
        var statistics = _buffer.GetStatistics();
        Assert.Equal(1, statistics.PacketsReordered);
        Assert.Equal(0, statistics.FramesMissing + statistics.FramesConcealed + statistics.PacketsLate);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(-100)]
    [InlineData(0)]
    public void Drift_of_the_sender_clock_is_estimated(int senderPpm)
    {
        var random = new Random(7);
        double rate = 1 + (senderPpm * 1e-6);
        for (var i = 0; i < 60 * 50; i++)
        {
            // A sender fast by N ppm stamps 20 ms of media in 20 ms / (1 + N·1e-6) of our time; queueing adds 0-10 ms.
            double arrivalMs = (i * 20 / rate) + (random.NextDouble() * 10);
            ReleaseUntil(arrivalMs);
            _buffer.Push((ushort)i, (uint)(i * Frame), [0], Frame, TimeSpan.FromMilliseconds(arrivalMs));
        }

        Assert.InRange(_buffer.GetStatistics().DriftPpm, senderPpm - 15, senderPpm + 15);
    }

    [Theory]
    [InlineData(3000)]
    [InlineData(-3000)]
    public void Drift_is_absorbed_by_dropping_or_inserting_frames(int senderPpm)
    {
        double rate = 1 + (senderPpm * 1e-6);
        for (var i = 0; i < 30 * 50; i++)
        {
            double arrivalMs = i * 20 / rate;
            ReleaseUntil(arrivalMs);
            _buffer.Push((ushort)i, (uint)(i * Frame), [0], Frame, TimeSpan.FromMilliseconds(arrivalMs));
        }

        // 3000 ppm over 30 s is 90 ms: four to five frames the buffer must give back (or add) to stay on target.
        var statistics = _buffer.GetStatistics();
        Assert.InRange(senderPpm > 0 ? statistics.FramesDropped : statistics.FramesInserted, 3, 8);
        Assert.Equal(0, senderPpm > 0 ? statistics.FramesInserted : statistics.FramesDropped);
        Assert.InRange(statistics.CurrentDelay, statistics.TargetDelay - TimeSpan.FromMilliseconds(30), statistics.TargetDelay + TimeSpan.FromMilliseconds(30));
        Assert.Equal(0, statistics.PacketsLate);
    }

    [Fact]
    public void Target_delay_rises_fast_with_jitter_and_falls_slowly_after()
    {
        var random = new Random(3);
        var i = 0;
        void Send(int count, double jitterMs)
        {
            for (var end = i + count; i < end; i++)
            {
                double arrivalMs = (i * 20) + (random.NextDouble() * jitterMs);
                ReleaseUntil(arrivalMs);
                _buffer.Push((ushort)i, (uint)(i * Frame), [0], Frame, TimeSpan.FromMilliseconds(arrivalMs));
            }
        }

        Send(50, 0);
        Assert.Equal(TimeSpan.FromMilliseconds(40), _buffer.GetStatistics().TargetDelay);

        Send(100, 80); // 2 s of 0-80 ms queueing
        var high = _buffer.GetStatistics().TargetDelay;
        Assert.True(high >= TimeSpan.FromMilliseconds(90), $"target {high} did not rise");
        Assert.True(_buffer.GetStatistics().CurrentDelay >= TimeSpan.FromMilliseconds(60), "delay did not follow the target up");

        Send(50, 0); // one calm second: at 10 ms/s the target may lose only about 10 ms
        Assert.True(_buffer.GetStatistics().TargetDelay >= high - TimeSpan.FromMilliseconds(15), "target fell too fast");

        Send(50 * 30, 0);
        var statistics = _buffer.GetStatistics();
        Assert.Equal(TimeSpan.FromMilliseconds(40), statistics.TargetDelay);
        Assert.True(statistics.CurrentDelay <= TimeSpan.FromMilliseconds(65), $"delay {statistics.CurrentDelay} did not come down");
    }

    [Fact]
    public void Comfort_noise_fills_the_silence_until_speech_resumes()
    {
        Push(0, 0);
        Push(1, 20);
        Assert.True(_buffer.Push(2, 2 * Frame, [60], Frame, TimeSpan.FromMilliseconds(40), comfortNoise: true));
        ReleaseUntil(800);
        Assert.Equal(60, _buffer.NoiseLevel);
        Push(40, 800);
        ReleaseUntil(2000);

        Assert.Equal(JitterFrameKind.Normal, _out[^1].Kind);
        Assert.Equal(40u * Frame, _out[^1].Timestamp);
        Assert.Equal(38, _out.Count(f => f.Kind == JitterFrameKind.ComfortNoise));
        Assert.Equal(0, _buffer.GetStatistics().FramesMissing);
        Assert.Equal(_out.Select(f => f.Timestamp).Order(), _out.Select(f => f.Timestamp));
    }

    [Fact]
    public void Without_new_packets_the_tail_comes_out_and_then_nothing()
    {
        Push(0, 0);
        Push(1, 20);
        ReleaseUntil(10_000);
        Assert.Equal([0, 1], _out.Select(f => f.Marker));
        Assert.Equal(0, _buffer.Depth);
    }

    [Fact]
    public void Steady_state_push_and_release_allocate_nothing()
    {
        var payload = new byte[160];
        void Run(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                // Every fifth packet lost and every seventh swapped with its successor: all code paths, no garbage.
                if (i % 5 == 4)
                {
                    continue;
                }

                int seq = i % 7 == 0 ? i + 1 : i % 7 == 1 ? i - 1 : i;
                _buffer.Push((ushort)seq, (uint)(seq * Frame), payload, Frame, TimeSpan.FromMilliseconds(i * 20));
                while (_buffer.TryRelease(TimeSpan.FromMilliseconds(i * 20), out var frame))
                {
                    _ = frame.Payload.Length;
                }
            }
        }

        Run(0, 500);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(500, 5500);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(_buffer.GetStatistics().FramesConcealed > 500, "the loss pattern did not exercise concealment");
    }

    private void Push(int seq, double arrivalMs) =>
        Assert.True(_buffer.Push((ushort)seq, (uint)(seq * Frame), [(byte)seq], Frame, TimeSpan.FromMilliseconds(arrivalMs)));

    private void ReleaseUntil(double nowMs)
    {
        while (_buffer.TryRelease(TimeSpan.FromMilliseconds(nowMs), out var frame))
        {
            _out.Add((frame.Kind, frame.Timestamp, frame.Kind == JitterFrameKind.Normal ? frame.Payload[0] : -1));
        }
    }
}
