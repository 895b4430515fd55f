using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using static StepAudio.Telephony.CallFlow.Tests.Flows.Runtime.RunnerFlows;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

/// <summary>The trace entries a call's flow hands to its observer, and what a broken observer costs (only its entries).</summary>
public sealed class FlowTracerTests
{
    [Fact]
    public async Task An_entry_carries_the_call_clock_and_the_step_running_at_the_time()
    {
        using var channel = new FakeCallChannel();
        // The fake clock moves one 100 ms tick per wait: the entry must carry that, not zero or the wall clock.
        await channel.PauseAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        var scope = new CallFlowScope(Flow(Say("a", "hi")), channel, TimeProvider.System, TimeZoneInfo.Utc) { Step = "menu" };
        var entries = new List<FlowTrace>();

        new FlowTracer(new Recording(entries.Add), channel, scope, NullLogger.Instance).Trace("say", "hello");

        Assert.Equal(new FlowTrace(TimeSpan.FromMilliseconds(100), "say", "menu", "hello"), Assert.Single(entries));
    }

    [Fact]
    public void An_observer_that_throws_loses_its_entry_and_the_flow_goes_on()
    {
        using var channel = new FakeCallChannel();
        var scope = new CallFlowScope(Flow(Say("a", "hi")), channel, TimeProvider.System, TimeZoneInfo.Utc);
        var calls = 0;
        var tracer = new FlowTracer(new Recording(_ => { calls++; throw new InvalidOperationException("log sink is down"); }), channel, scope, NullLogger.Instance);

        tracer.Trace("say", "hello");
        tracer.Trace("end", "completed");

        Assert.Equal(2, calls);
    }

    private sealed class Recording(Action<FlowTrace> onTrace) : IFlowObserver
    {
        public void OnTrace(FlowTrace trace) => onTrace(trace);
    }
}
