using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

public sealed class RtpSequenceStatisticsTests
{
    [Fact]
    public void Counts_loss_across_the_16_bit_wrap()
    {
        var statistics = new RtpSequenceStatistics();
        ushort[] arrived = [65530, 65531, 65532, 65533, 65535, 0, 1, 3, 4, 5]; // 65534 and 2 lost

        foreach (var sequence in arrived)
        {
            Assert.True(statistics.UpdateSequence(sequence));
        }

        Assert.Equal(12, statistics.Expected);
        Assert.Equal(10, statistics.Received);
        Assert.Equal(2, statistics.Lost);
        Assert.Equal(65536 + 5, statistics.ExtendedHighestSequence);
    }

    [Fact]
    public void Reordered_packets_are_not_loss_and_do_not_move_the_highest_sequence()
    {
        var statistics = new RtpSequenceStatistics();
        foreach (ushort sequence in new ushort[] { 65534, 0, 65535, 1 })
        {
            Assert.True(statistics.UpdateSequence(sequence));
        }

        Assert.Equal(4, statistics.Expected);
        Assert.Equal(0, statistics.Lost);
        Assert.Equal(65536 + 1, statistics.ExtendedHighestSequence);
    }

    [Fact]
    public void Duplicates_make_loss_negative_as_in_rfc3550()
    {
        var statistics = new RtpSequenceStatistics();
        foreach (ushort sequence in new ushort[] { 10, 11, 11, 12 })
        {
            statistics.UpdateSequence(sequence);
        }

        Assert.Equal(3, statistics.Expected);
        Assert.Equal(-1, statistics.Lost);
        Assert.Equal(0, statistics.LostClamped);
        Assert.Equal(1, statistics.Surplus);
    }

    [Fact]
    public void Loss_for_people_never_goes_negative_and_duplicates_are_counted_apart()
    {
        // The trial's "RTP in 10, lost -2": ten packets, two of them copies, none missing.
        var statistics = new RtpSequenceStatistics();
        foreach (ushort sequence in new ushort[] { 1, 2, 3, 3, 4, 5, 6, 7, 7, 8 })
        {
            statistics.UpdateSequence(sequence);
        }

        Assert.Equal((10, 8, -2), (statistics.Received, statistics.Expected, statistics.Lost)); // RFC 3550 A.3, as RTCP reports it
        Assert.Equal((0, 2), (statistics.LostClamped, statistics.Surplus));
    }

    [Fact]
    public void Loss_is_net_of_duplicates_elsewhere_as_in_rfc3550()
    {
        var statistics = new RtpSequenceStatistics();
        foreach (ushort sequence in new ushort[] { 1, 2, 2, 5, 6 }) // 3 and 4 lost, 2 duplicated
        {
            statistics.UpdateSequence(sequence);
        }

        Assert.Equal(1, statistics.LostClamped);
        Assert.Equal(0, statistics.Surplus);
    }

    [Fact]
    public void A_single_wild_jump_is_discarded_but_two_sequential_packets_resynchronise()
    {
        var statistics = new RtpSequenceStatistics();
        statistics.UpdateSequence(100);
        statistics.UpdateSequence(101);

        Assert.False(statistics.UpdateSequence(20_000));
        Assert.Equal(2, statistics.Expected);

        Assert.True(statistics.UpdateSequence(102));
        Assert.False(statistics.UpdateSequence(40_000));
        Assert.True(statistics.UpdateSequence(40_001)); // sender restarted: the sequence space starts afresh
        Assert.Equal(1, statistics.Expected);
        Assert.Equal(1, statistics.Received);
    }

    [Fact]
    public void Jitter_is_zero_for_constant_transit_time()
    {
        var statistics = new RtpSequenceStatistics();
        for (uint i = 0; i < 100; i++)
        {
            statistics.UpdateJitter(rtpTimestamp: 1000 + (i * 160), arrival: 5_000_000 + (i * 160));
        }

        Assert.Equal(0u, statistics.Jitter);
    }

    [Fact]
    public void Jitter_converges_to_the_mean_transit_difference()
    {
        // Transit alternates by 80 units, so |D| is always 80 and J -> 80 (RFC 3550 A.8, gain 1/16).
        var statistics = new RtpSequenceStatistics();
        for (uint i = 0; i < 400; i++)
        {
            uint timestamp = uint.MaxValue - 8000 + (i * 160); // also crosses the 32-bit wrap
            statistics.UpdateJitter(timestamp, unchecked(timestamp + 12345 + (i % 2 == 0 ? 0u : 80u)));
        }

        Assert.InRange(statistics.Jitter, 78u, 80u);
    }
}
