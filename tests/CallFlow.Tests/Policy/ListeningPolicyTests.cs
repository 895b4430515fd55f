using StepAudio.Telephony.CallFlow.Policy;

namespace StepAudio.Telephony.CallFlow.Tests.Policy;

public sealed class ListeningPolicyTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Ends_call_at_max_duration_and_not_before()
    {
        var policy = new ListeningPolicy(new ListeningPolicyOptions { MaxCallDuration = S(60) });

        Assert.Null(policy.Evaluate(S(59.98)));
        Assert.Equal(HangupReasons.MaxDuration, policy.Evaluate(S(60)));
    }

    [Fact]
    public void Silence_hangup_is_off_by_default()
    {
        var policy = new ListeningPolicy(new ListeningPolicyOptions());

        Assert.Null(policy.Evaluate(S(600)));
    }

    [Fact]
    public void Silence_is_measured_from_answer_when_nobody_spoke()
    {
        var policy = new ListeningPolicy(new ListeningPolicyOptions { SilenceHangup = S(10) });

        Assert.Null(policy.Evaluate(S(9.9)));
        Assert.Equal(HangupReasons.CallerSilent, policy.Evaluate(S(10)));
    }

    [Fact]
    public void Speech_restarts_the_silence_clock_from_its_end()
    {
        var policy = new ListeningPolicy(new ListeningPolicyOptions { SilenceHangup = S(5) });

        policy.OnSpeechStarted(S(4));
        Assert.Null(policy.Evaluate(S(20)));     // still speaking: never silent
        policy.OnSpeechEnded(S(21));
        Assert.Null(policy.Evaluate(S(25.5)));
        Assert.Equal(HangupReasons.CallerSilent, policy.Evaluate(S(26)));
    }

    [Fact]
    public void Max_duration_wins_over_silence()
    {
        var policy = new ListeningPolicy(new ListeningPolicyOptions { MaxCallDuration = S(30), SilenceHangup = S(5) });

        Assert.Equal(HangupReasons.MaxDuration, policy.Evaluate(S(31)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 0)]
    [InlineData(10, -1)]
    public void Rejects_invalid_limits_with_a_named_setting(double maxSeconds, double silenceSeconds)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new ListeningPolicy(new ListeningPolicyOptions { MaxCallDuration = S(maxSeconds), SilenceHangup = S(silenceSeconds) }));

        Assert.Contains("CallFlow:", ex.Message, StringComparison.Ordinal);
    }
}
