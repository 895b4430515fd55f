using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.CallEngine.Conversation;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Cli.Flows.Simulate;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Cli.Tests.Flows;

/// <summary>
/// Runs a flow with <c>converse</c> through the call engine on the virtual clock (the same code as a live call) with
/// the real VAD, analysis and espeak-ng, and caller speech rendered by espeak-ng at given times.
/// </summary>
internal static class ConversationSimulation
{
    private static readonly DateTimeOffset Answered = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The flow's outcome, its events, the lines it said and the whole trace.</summary>
    public static async Task<(FlowResult Result, List<ICallEvent> Events, List<string> Said, string Trace)> RunAsync(
        string yaml, float[] audio, ConversationOptions options, ILogger logger)
    {
        var flow = FlowLoader.LoadText(yaml, "assistant.yaml");
        Assert.True(flow.IsValid, string.Join("\n", flow.Errors));
        var speech = new EspeakSpeechSynthesizer(new SpeechSynthesisOptions());
        using var client = ConversationModelClient.Create(options, TimeProvider.System, logger);
        var vadOptions = new VadOptions { ModelPath = FlowCli.VadModel };
        using var vad = new SileroVadModel(Options.Create(vadOptions));
        var simulator = new FlowSimulator(
            speech, new WavPromptStore(new PromptOptions()), SegmentAnalyzers.CreateDefault(new ParalinguisticsOptions()), vad, vadOptions,
            new FrustrationOptions(), conversation: new ConversationServices(client, speech, options, logger));
        using var output = new StringWriter();
        var timeline = new SimulationTimeline(output, json: false);
        var settings = new SimulationSettings(
            new CallInfo("sim-conv", "+15555550123", "+15550100", null), Answered, [], HangupAfterWav: false, TimeSpan.FromSeconds(60), TransferFails: false);
        var result = await simulator.RunAsync(flow.Flow!, audio, settings, new Dictionary<string, JsonNode?>(), network: null, timeline, TimeZoneInfo.Utc);
        var said = output.ToString().Split('\n').Where(l => l.Contains("  say ", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("  say ", StringComparison.Ordinal) + 6)..].Trim().Trim('"')).ToList();
        return (result, [.. timeline.Events], said, output.ToString());
    }

    /// <summary>Utterances rendered by espeak-ng, each starting at its time, then 3 s of silence, at 16 kHz.</summary>
    public static float[] Speech(string directory, params (string Text, double At)[] utterances)
    {
        var audio = new List<float>();
        foreach (var (text, at) in utterances)
        {
            var wav = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".wav");
            ExternalTool.Run("espeak-ng", "-v", "en-us", "-w", wav, text);
            var (decoded, rate) = Inference.Audio.WavCodec.Decode(File.ReadAllBytes(wav));
            var samples = Inference.Resampling.WdlClipResampler.Resample(decoded, rate, 16_000);
            audio.AddRange(new float[Math.Max(0, (int)(at * 16_000) - audio.Count)]);
            audio.AddRange(samples);
        }

        audio.AddRange(new float[16_000 * 3]);
        return [.. audio];
    }
}
