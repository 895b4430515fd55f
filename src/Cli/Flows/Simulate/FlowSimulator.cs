using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.CallEngine;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.CallEngine.Conversation;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Recognition;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// Runs one flow through the gateway's own call engine (<see cref="EngineCall"/>, <see cref="FlowCallChannel"/>,
/// <see cref="CallFlowRun"/>) with a <see cref="SimulatedCall"/> as its transport and clock, from CallStarted to
/// CallEnded, printing the timeline as it goes, after the flow's <c>early_media</c> (<see cref="EarlyMediaPlayer"/>, as on a
/// live call). Only the transport differs from a live call.
/// </summary>
internal sealed class FlowSimulator(
    ISpeechSynthesizer speech,
    IPromptStore prompts,
    ISegmentAnalyzer analyzer,
    SileroVadModel vad,
    VadOptions vadOptions,
    FrustrationOptions frustration,
    CallAnalysisOptions? analysisOptions = null,
    ConversationServices? conversation = null,
    ISpeechRecognizer? recognizer = null)
{
    public async Task<FlowResult> RunAsync(
        FlowDefinition flow,
        float[] audio16k,
        SimulationSettings settings,
        IReadOnlyDictionary<string, JsonNode?> webhookStubs,
        IWebhookClient? network,
        SimulationTimeline timeline,
        TimeZoneInfo zone)
    {
        var call = new SimulatedCall(settings, audio16k);
        var clock = new VirtualTimeProvider(settings.AnsweredAt, () => call.Now, zone);
        using var engine = new EngineCall(new EngineCallSetup(settings.Call.CallId, new SpeechDetector(vad, vadOptions), e => timeline.OnEvent(call.Now, e), clock)
        {
            Clock = call,
            Analysis = new InlineSegmentAnalysis(analyzer),
            AnalysisOptions = analysisOptions ?? new CallAnalysisOptions(),
            Frustration = frustration,
            Recognizer = recognizer,
        });
        var channel = new FlowCallChannel(engine, settings.Call, call, speech, prompts, flow.Name, next: timeline);
        using var agent = conversation is null ? null : new ConversationAgent(engine, call, conversation);
        channel.Conversation = agent;
        var webhooks = new StubWebhookClient(webhookStubs, () => flow.Steps.GetValueOrDefault(channel.Step), network);
        var runner = new FlowRunner(webhooks, clock, new FlowRunnerOptions { TimeZone = zone });
        using var run = new CallFlowRun(flow, channel, runner, clock, NullLogger<CallFlowRun>.Instance);
        call.Engine = engine;
        call.Run = run;

        // The flow's early_media plays before the answer, through the gateway's own EarlyMediaPlayer; CallStarted follows.
        if (flow.EarlyMedia is { } announcement)
        {
            var early = await new EarlyMediaPlayer(speech, prompts).PlayAsync(flow, new SimulatedEarlyMedia(timeline, announcement), CancellationToken.None)
                .ConfigureAwait(false);
            if (early.Status == EarlyMediaStatus.RenderFailed)
            {
                timeline.OnTrace(new FlowTrace(TimeSpan.Zero, "early", string.Empty, $"not rendered ({early.Problem}); answered without it"));
            }
        }

        engine.Confirm(settings.Call.Caller, settings.Call.Called, "simulation", flow.Name, flow.Version);
        run.Start();
        var result = await run.Completion.ConfigureAwait(false);
        await engine.CompleteAsync(
            result.Outcome == FlowOutcome.Abandoned ? "caller" : "gateway", result.Detail, () => Task.FromResult<FlowResult?>(result)).ConfigureAwait(false);
        timeline.OnOutcome(result);
        return result;
    }
}
