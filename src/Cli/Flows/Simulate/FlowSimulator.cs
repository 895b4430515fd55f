using System.Text.Json.Nodes;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// Runs one flow with the real <see cref="FlowRunner"/> against a <see cref="SimulatedCall"/>, from CallStarted to
/// CallEnded, printing the timeline as it goes.
/// </summary>
internal sealed class FlowSimulator(
    ISpeechSynthesizer speech,
    IPromptStore prompts,
    ISegmentAnalyzer analyzer,
    SileroVadModel vad,
    VadOptions vadOptions,
    FrustrationOptions frustration)
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
        var events = new SimulationEvents(settings.Call.CallId, settings.AnsweredAt, timeline.OnEvent);
        using var detector = new SpeechDetector(vad, vadOptions);
        var hearing = new CallerHearing(audio16k, detector, analyzer, frustration, events);
        using var hungUp = new CancellationTokenSource();
        var call = new SimulatedCall(settings, hearing, events, speech, prompts, hungUp) { FlowName = flow.Name };
        timeline.Tracing = trace =>
        {
            if (trace.Kind == "step")
            {
                call.CurrentStep = trace.Step;
            }
        };

        var webhooks = new StubWebhookClient(webhookStubs, () => flow.Steps.GetValueOrDefault(call.CurrentStep), network);
        var clock = new VirtualTimeProvider(settings.AnsweredAt, () => call.Now, zone);
        var runner = new FlowRunner(webhooks, clock, new FlowRunnerOptions { TimeZone = zone });

        events.Started(TimeSpan.Zero, settings.Call.Caller, settings.Call.Called, flow.Name, flow.Version);
        var result = await runner.RunAsync(flow, call, timeline, hungUp.Token).ConfigureAwait(false);
        hearing.Complete();

        var duration = call.Now;
        var talk = duration > TimeSpan.Zero ? Math.Clamp(hearing.SpeechSeconds / duration.TotalSeconds, 0, 1) : 0;
        var outcome = result.Outcome.ToString().ToLowerInvariant();
        events.Ended(duration, new CallEnded(
            Guid.CreateVersion7(), settings.Call.CallId, 0, default, duration.TotalSeconds,
            HungUpBy: result.Outcome == FlowOutcome.Abandoned ? "caller" : "gateway",
            Reason: result.Detail,
            SpeechSegments: hearing.SpeechSegments,
            PeakFrustration: hearing.Frustration.Peak,
            VocalEvents: new Dictionary<string, int>(hearing.VocalTotals, StringComparer.Ordinal),
            TalkRatio: talk,
            SilenceRatio: 1 - talk,
            BargeIns: hearing.BargeIns,
            Outcome: outcome,
            LastStep: result.LastStep,
            Flow: result.FlowName,
            FlowVersion: result.FlowVersion));
        timeline.OnOutcome(result);
        return result;
    }
}
