using StepAudio.Telephony.Analytics.Consumer.CommandLine;

namespace StepAudio.Telephony.Analytics.Tests.Consumer;

public sealed class ConsumerArgumentsTests
{
    [Fact]
    public void No_arguments_give_the_default_queue_and_no_exit_condition()
    {
        Assert.True(ConsumerArguments.TryParse([], out var parsed, out _));
        Assert.Equal(new ConsumerArguments("stepaudio-event-printer", null, null), parsed);
    }

    [Fact]
    public void All_options_are_read()
    {
        Assert.True(ConsumerArguments.TryParse(
            ["--queue", "q1", "--transient", "--call-id", "c-42", "--exit-after-call-ended", "3", "--timeout", "2.5"], out var parsed, out _));
        Assert.Equal(new ConsumerArguments("q1", 3, TimeSpan.FromSeconds(2.5), "c-42", Transient: true), parsed);
    }

    [Theory]
    [InlineData("--queue")]
    [InlineData("--exit-after-call-ended", "0")]
    [InlineData("--exit-after-call-ended", "-1")]
    [InlineData("--timeout", "abc")]
    [InlineData("--call-id", " ")]
    [InlineData("--verbose", "1")]
    public void Bad_arguments_are_reported_not_thrown(params string[] args)
    {
        Assert.False(ConsumerArguments.TryParse(args, out _, out var error));
        Assert.Contains(args[0], error, StringComparison.Ordinal);
    }
}
