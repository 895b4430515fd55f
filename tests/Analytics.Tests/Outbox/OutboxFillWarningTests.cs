using StepAudio.Telephony.Analytics.Outbox;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

public sealed class OutboxFillWarningTests
{
    [Fact]
    public void Warns_above_the_ratio_at_most_once_a_minute_with_the_time_since_the_outbox_was_last_empty()
    {
        var time = new ManualTimeProvider();
        var warning = new OutboxFillWarning(new OutboxOptions { MaxBytes = 1000, WarnAtRatio = 0.8 }, time);

        Assert.Null(warning.Due(799));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(5), warning.Due(800));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(warning.Due(1000));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(65), warning.Due(1000));

        warning.Drained();
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(warning.Due(100));
        Assert.Equal(TimeSpan.FromMinutes(2), warning.Due(900));
    }
}
