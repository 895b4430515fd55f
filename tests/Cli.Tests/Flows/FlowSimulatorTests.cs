using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Cli.Flows.Simulate;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Cli.Tests.Flows;

/// <summary>The simulated call on its own, with a flow built in code (no YAML): virtual time, barge-in, events.</summary>
public sealed class FlowSimulatorTests
{
    private const string MenuText = "Welcome to the test line. For billing press one, for anything else press two.";

    private static readonly DateTimeOffset Answered = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public async Task A_key_barges_into_the_prompt_at_its_scripted_time_and_the_transfer_is_published()
    {
        var (result, output, events) = await Simulate(Flow(), [new DtmfKeyPress('5', TimeSpan.FromSeconds(1))]);

        Assert.Equal(FlowOutcome.Transferred, result.Outcome);
        Assert.Equal("agent", result.LastStep);

        // The key lands on the 20 ms frame grid exactly at 1 s: the welcome prompt (several seconds long) is cut there.
        Assert.Contains("   1.00s  input dtmf '5'", output, StringComparison.Ordinal);
        Assert.Contains("   1.00s  step  agent (transfer)", output, StringComparison.Ordinal);
        var transferred = Assert.Single(events.OfType<CallTransferred>());
        Assert.Equal(("sip:agent@127.0.0.1:5090", "refer", "agent", "test"), (transferred.Target, transferred.Mode, transferred.Step, transferred.Flow));
        var key = Assert.Single(events.OfType<DtmfReceived>());
        Assert.Equal("5", key.Digit);
        Assert.Equal(Answered.AddSeconds(1), key.Timestamp);

        // BargeInDetected is about speech over a prompt (as the gateway publishes it), not keys.
        Assert.Empty(events.OfType<BargeInDetected>());
    }

    [Fact]
    public async Task Events_run_from_CallStarted_to_CallEnded_with_gap_free_sequence_numbers()
    {
        var (_, _, events) = await Simulate(Flow(), [new DtmfKeyPress('5', TimeSpan.FromSeconds(1))]);

        Assert.IsType<CallStarted>(events[0]);
        var ended = Assert.IsType<CallEnded>(events[^1]);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(("transferred", "agent", "test", "v1"), (ended.Outcome, ended.LastStep, ended.Flow, ended.FlowVersion));
    }

    [Fact]
    public async Task With_no_input_the_gather_waits_its_timeout_after_the_prompt_on_the_virtual_clock()
    {
        var prompt = await new EspeakSpeechSynthesizer(new SpeechSynthesisOptions()).SynthesizeAsync(MenuText, null, CancellationToken.None);
        var promptSeconds = prompt.Length / 8000.0;

        var (result, output, _) = await Simulate(Flow(), []);

        Assert.Equal(FlowOutcome.Transferred, result.Outcome);
        var line = Assert.Single(output.Split('\n'), l => l.Contains("input none", StringComparison.Ordinal));
        var at = double.Parse(line.Trim().Split('s')[0], System.Globalization.CultureInfo.InvariantCulture);

        // Time advances in 20 ms frames: the prompt's length rounded up to a frame, then exactly the 2 s timeout.
        Assert.InRange(at, promptSeconds + 2, promptSeconds + 2.02 + 0.005);
    }

    private static FlowDefinition Flow()
    {
        var at = new SourceLocation("test.yaml", 1, 1);
        return new FlowDefinition
        {
            Name = "test",
            Version = "v1",
            File = "test.yaml",
            Start = "menu",
            Steps = new Dictionary<string, FlowStep>
            {
                ["menu"] = new GatherStep
                {
                    Name = "menu", Location = at, Next = "agent", Retries = 0, Timeout = TimeSpan.FromSeconds(2),
                    Say = FlowTemplate.Literal(MenuText),
                },
                ["agent"] = new TransferStep { Name = "agent", Location = at, To = FlowTemplate.Literal("sip:agent@127.0.0.1:5090") },
            },
        };
    }

    private static async Task<(FlowResult Result, string Output, List<Analytics.Contracts.ICallEvent> Events)> Simulate(
        FlowDefinition flow, IReadOnlyList<DtmfKeyPress> keys)
    {
        var vadOptions = new VadOptions { ModelPath = FlowCli.VadModel };
        using var vad = new SileroVadModel(Options.Create(vadOptions));
        var simulator = new FlowSimulator(
            new EspeakSpeechSynthesizer(new SpeechSynthesisOptions()),
            new WavPromptStore(new PromptOptions()),
            SegmentAnalyzers.CreateDefault(new ParalinguisticsOptions()),
            vad,
            vadOptions,
            new FrustrationOptions());
        using var output = new StringWriter();
        var timeline = new SimulationTimeline(output, json: false);
        var settings = new SimulationSettings(
            new CallInfo("sim-test", "+15555550123", "+15550100", null), Answered, keys, HangupAfterWav: false, TimeSpan.FromSeconds(60), TransferFails: false);
        var result = await simulator.RunAsync(flow, [], settings, new Dictionary<string, JsonNode?>(), network: null, timeline, TimeZoneInfo.Utc);
        return (result, output.ToString(), [.. timeline.Events]);
    }
}
