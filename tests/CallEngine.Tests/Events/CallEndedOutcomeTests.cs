using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallEngine.Events;

namespace StepAudio.Telephony.CallEngine.Tests.Events;

public sealed class CallEndedOutcomeTests
{
    private readonly CallEventFactory _events = new("call-1", TimeProvider.System);

    [Theory]
    [InlineData(FlowOutcome.Completed, "completed")]
    [InlineData(FlowOutcome.Transferred, "transferred")]
    [InlineData(FlowOutcome.Abandoned, "abandoned")]
    [InlineData(FlowOutcome.Failed, "failed")]
    public void The_flows_outcome_reaches_call_ended_in_lower_case_with_step_flow_and_version(FlowOutcome outcome, string wire)
    {
        var ended = _events.Ended(TimeSpan.FromSeconds(3), "gateway", "hangup", 0, flow: new FlowResult(outcome, "menu", "detail", "support", "v7"));

        Assert.Equal(wire, ended.Outcome);
        Assert.Equal("menu", ended.LastStep);
        Assert.Equal("support", ended.Flow);
        Assert.Equal("v7", ended.FlowVersion);
    }

    [Fact]
    public void A_call_without_a_flow_carries_no_outcome()
    {
        var ended = _events.Ended(TimeSpan.FromSeconds(3), "caller", "bye", 0);

        Assert.Null(ended.Outcome);
        Assert.Null(ended.Flow);
    }

    [Fact]
    public void Call_transferred_follows_the_calls_sequence()
    {
        var started = _events.Started("sip:a@x", "sip:b@y", "PCMU/8000");
        var transferred = _events.Transferred("sip:agent@z", "refer", "to_agent", "support", 0.4);

        Assert.Equal(started.Sequence + 1, transferred.Sequence);
        Assert.Equal(("sip:agent@z", "refer", "to_agent", "support", 0.4), (transferred.Target, transferred.Mode, transferred.Step, transferred.Flow, transferred.Frustration));
    }
}
