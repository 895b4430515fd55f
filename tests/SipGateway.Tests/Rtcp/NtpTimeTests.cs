using StepAudio.Telephony.SipGateway.Rtcp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtcp;

public sealed class NtpTimeTests
{
    [Fact]
    public void Converts_wallclock_to_ntp_seconds_since_1900()
    {
        // 1970-01-01 is 2 208 988 800 s after the NTP epoch (RFC 868 / RFC 5905).
        Assert.Equal(2_208_988_800UL << 32, NtpTime.FromDateTime(DateTimeOffset.UnixEpoch));
        Assert.Equal((2_208_988_800UL << 32) + (1UL << 31), NtpTime.FromDateTime(DateTimeOffset.UnixEpoch.AddMilliseconds(500)));
    }

    [Fact]
    public void Round_trip_follows_the_rfc3550_example()
    {
        // RFC 3550 §6.4.1, figure 2: A = 0xb710:8000, LSR = 0xb705:2000, DLSR = 0x0005:4000 (5.250 s) → 0x0006:2000 = 6.125 s.
        var rtt = NtpTime.RoundTrip(0xB7108000, 0xB7052000, 0x00054000);
        Assert.Equal(TimeSpan.FromSeconds(6.125), rtt);
    }

    [Fact]
    public void No_round_trip_without_an_lsr_or_when_the_result_is_negative()
    {
        Assert.Null(NtpTime.RoundTrip(0xB7108000, 0, 0));
        Assert.Null(NtpTime.RoundTrip(0xB7108000, 0xB7100000, 0x00010000));
    }

    [Fact]
    public void Round_trip_works_across_the_wrap_of_the_compact_clock()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.5), NtpTime.RoundTrip(0x00004000, 0xFFFFC000, 0));
    }
}
