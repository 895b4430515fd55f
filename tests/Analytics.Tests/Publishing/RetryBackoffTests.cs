using StepAudio.Telephony.Analytics.Publishing;

namespace StepAudio.Telephony.Analytics.Tests.Publishing;

public sealed class RetryBackoffTests
{
    [Theory]
    [InlineData(1, 100, 100)]
    [InlineData(2, 100, 200)]
    [InlineData(4, 100, 800)]
    [InlineData(10, 100, 5000)] // 100 * 2^9 is above the cap
    [InlineData(1000, 100, 5000)]
    public void Delay_doubles_per_failure_up_to_the_cap_with_at_most_half_of_it_random(
        int failedAttempts, int baseMs, int expectedCapMs)
    {
        for (var i = 0; i < 50; i++)
        {
            var delay = RetryBackoff.Delay(failedAttempts, TimeSpan.FromMilliseconds(baseMs), TimeSpan.FromSeconds(5));
            Assert.InRange(delay.TotalMilliseconds, expectedCapMs / 2.0, expectedCapMs);
        }
    }
}
