using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

/// <summary>The flow-level <c>accept_refer</c> policy: whether a far end's REFER may transfer the call.</summary>
public sealed class AcceptReferLoadingTests
{
    private const string Steps = "start: a\nsteps:\n  a:\n    say: hi\n";

    [Theory]
    [InlineData("", false)]
    [InlineData("accept_refer: false\n", false)]
    [InlineData("accept_refer: true\n", true)]
    public void Accept_refer_defaults_to_refusing(string line, bool expected)
    {
        var result = FlowLoader.LoadText("flow: x\n" + line + Steps, "f.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(expected, result.Flow!.AcceptRefer);
    }

    [Theory]
    [InlineData("accept_refer: yes please\n")]
    [InlineData("accept_refer: \"true\"\n")]
    [InlineData("accept_refer: [true]\n")]
    public void Accept_refer_that_is_not_a_boolean_is_reported_at_its_line(string line)
    {
        var result = FlowLoader.LoadText("flow: x\n" + line + Steps, "f.yaml");

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("f.yaml", 2, "accept_refer"), (error.File, error.Line, error.Field));
    }
}
