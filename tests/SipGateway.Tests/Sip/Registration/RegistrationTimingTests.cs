using StepAudio.Telephony.SipGateway.Sip.Registration;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Registration;

public sealed class RegistrationTimingTests
{
    [Theory]
    [InlineData(3600, 1800)]
    [InlineData(120, 60)]
    [InlineData(2, 1)]
    [InlineData(1, 1)]
    public void Refresh_at_half_the_grant_but_not_under_one_second(int grantedSeconds, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RegistrationTiming.RefreshDelay(TimeSpan.FromSeconds(grantedSeconds)));
    }

    [Fact]
    public void Refresh_of_long_grants_is_at_least_a_minute_before_expiry()
    {
        foreach (var granted in new[] { 120, 600, 3600, 86400 })
        {
            Assert.True(TimeSpan.FromSeconds(granted) - RegistrationTiming.RefreshDelay(TimeSpan.FromSeconds(granted)) >= TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public void Retry_backoff_doubles_from_30_s_to_a_5_min_cap()
    {
        var delays = new List<TimeSpan> { TimeSpan.FromSeconds(30) };
        for (var i = 0; i < 5; i++)
        {
            delays.Add(RegistrationTiming.NextRetryDelay(delays[^1], TimeSpan.FromMinutes(5)));
        }

        Assert.Equal([30, 60, 120, 240, 300, 300], delays.Select(d => d.TotalSeconds));
    }
}
