using StepAudio.Telephony.CallFlow.Flows.Runtime;
using static StepAudio.Telephony.CallFlow.Tests.Flows.Runtime.RunnerFlows;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

/// <summary>Each step a flow runs is one flow.step activity on <see cref="FlowTracing.SourceName"/>, in order.</summary>
public sealed class FlowTracingTests
{
    [Fact]
    public async Task Every_step_run_is_traced_with_flow_step_and_verb()
    {
        var prefix = "traced-" + Guid.NewGuid().ToString("N")[..8] + "-";
        using var recorded = new RecordedActivities(FlowTracing.SourceName);
        var flow = Flow(Say(prefix + "welcome", "Hello", next: prefix + "goodbye"), Say(prefix + "goodbye", "Bye"));
        using var channel = new FakeCallChannel();

        var (result, _) = await RunAsync(flow, channel);

        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        var steps = recorded.Where("step", step => step?.StartsWith(prefix, StringComparison.Ordinal) == true);
        Assert.Equal([prefix + "welcome", prefix + "goodbye"], steps.Select(a => (string?)a.GetTagItem("step")));
        Assert.All(steps, a =>
        {
            Assert.Equal("flow.step", a.OperationName);
            Assert.Equal(("test", "v1", "say"), ((string?)a.GetTagItem("flow"), (string?)a.GetTagItem("flow.version"), (string?)a.GetTagItem("verb")));
        });
    }
}
