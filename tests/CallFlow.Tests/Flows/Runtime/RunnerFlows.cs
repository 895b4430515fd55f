using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

/// <summary>Builds flow definitions from the step records, as the loader would, and runs them on a fake channel.</summary>
internal static class RunnerFlows
{
    public static readonly SourceLocation Here = new("test.yaml", 1, 1);

    public static FlowDefinition Flow(FlowHandlers? handlers, params FlowStep[] steps) => new()
    {
        Name = "test",
        Version = "v1",
        File = "test.yaml",
        Start = steps[0].Name,
        Steps = steps.ToDictionary(s => s.Name),
        Handlers = handlers ?? new FlowHandlers(),
        Variables = new Dictionary<string, JsonNode?> { ["company"] = "Example Telecom" },
    };

    public static FlowDefinition Flow(params FlowStep[] steps) => Flow(null, steps);

    public static SayStep Say(string name, string text, string? next = null, int loop = 1, PromptInterruption interruptible = PromptInterruption.Any) =>
        new() { Name = name, Location = Here, Text = FlowTemplate.Literal(text), Next = next, Loop = loop, Interruptible = interruptible };

    public static SayStep Say(string name, FlowTemplate text, string? next = null) =>
        new() { Name = name, Location = Here, Text = text, Next = next };

    public static BranchStep Branch(string name, string? elseStep, params (string Digits, string Goto)[] cases) => new()
    {
        Name = name,
        Location = Here,
        Cases = [.. cases.Select(c => new BranchCase(TestExpression.Equal("digits", c.Digits), c.Goto, Here))],
        Else = elseStep,
    };

    public static SetStep Set(string name, string variable, FlowValueSource value, string? next) =>
        new() { Name = name, Location = Here, Values = new Dictionary<string, FlowValueSource> { [variable] = value }, Next = next };

    public static async Task<(FlowResult Result, List<FlowTrace> Trace)> RunAsync(
        FlowDefinition flow, FakeCallChannel channel, IWebhookClient? webhooks = null, FlowRunnerOptions? options = null)
    {
        var trace = new List<FlowTrace>();
        var runner = new FlowRunner(webhooks ?? new FakeWebhookClient(), TimeProvider.System, options);
        var result = await runner.RunAsync(flow, channel, new ListObserver(trace), channel.CallEnded);
        return (result, trace);
    }

    private sealed class ListObserver(List<FlowTrace> trace) : IFlowObserver
    {
        public void OnTrace(FlowTrace entry) => trace.Add(entry);
    }
}
