using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Routing;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Flows.Webhooks;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Cli.Audio;
using StepAudio.Telephony.Cli.Eval;
using StepAudio.Telephony.Cli.Flows.Validate;
using StepAudio.Telephony.Cli.Paths;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// <c>simulate [FLOW] --wav FILE --dtmf "1@3.5s #@12s" …</c>: runs a flow against a caller made of a WAV file and a
/// DTMF script on a virtual clock, and prints the steps taken, what was said and the events that would be published.
/// Exit codes: 0 the flow ran (any outcome), 1 the flow is invalid, 2 usage.
/// </summary>
public static class SimulateCommand
{
    /// <summary>The flow (or the flows directory) is invalid.</summary>
    public const int InvalidFlow = 1;

    /// <summary>Bad arguments: a missing file, a bad DTMF script, an unknown flow.</summary>
    public const int UsageError = 2;

    /// <summary>Builds the command; output goes to the given writers so tests can read it.</summary>
    public static Command Create(TextWriter output, TextWriter error, Func<ParalinguisticsOptions, ISegmentAnalyzer> analyzerFactory)
    {
        var flow = new Argument<string?>("flow") { Arity = ArgumentArity.ZeroOrOne, Description = "A flow file, or a flow's name in --flows; none: routing picks one from --called/--trunk" };
        var wav = new Option<FileInfo?>("--wav") { Description = "The caller's audio: a WAV file: PCM, float or G.711, any rate or channel count (none: a silent caller)" };
        var words = new Option<FileInfo?>("--words") { Description = "The caller's words: a text file, one line per recognised turn in order (instead of a Recognition__BaseUrl server)" };
        var dtmf = new Option<string?>("--dtmf") { Description = "The caller's keys: DIGIT@TIME items, space- or comma-separated, e.g. \"1@3.5s #@12s\"" };
        var called = new Option<string>("--called") { Description = "The number called (DID)", DefaultValueFactory = _ => "+15550100" };
        var caller = new Option<string>("--caller") { Description = "The caller's number", DefaultValueFactory = _ => "+15555550123" };
        var trunk = new Option<string?>("--trunk") { Description = "The trunk the call came from" };
        var at = new Option<string?>("--at") { Description = "When the call is answered, ISO 8601 (default: now), e.g. 2026-11-23T22:00:00+01:00" };
        var flows = new Option<DirectoryInfo>("--flows") { Description = "Flows directory", DefaultValueFactory = _ => new DirectoryInfo(ToolPaths.Locate(ToolPaths.DefaultFlows)) };
        var webhook = new Option<string[]>("--webhook") { Description = "NAME=FILE.json: the webhook step NAME (its `as` or step name) answers with the file's JSON", AllowMultipleArgumentsPerToken = false };
        var hangupAfterWav = new Option<bool>("--hangup-after-wav") { Description = "The caller hangs up when the WAV and the DTMF script have ended (outcome abandoned)" };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Virtual seconds after which the caller hangs up", DefaultValueFactory = _ => 600 };
        var json = new Option<bool>("--json") { Description = "One JSON object per line (trace, events, outcome)" };
        var model = new Option<FileInfo?>("--model") { Description = $"Silero VAD model (default: ${ToolPaths.VadModelVariable}, else the repository's {ToolPaths.DefaultVadModel})" };
        var prompts = new Option<DirectoryInfo?>("--prompts") { Description = "Directory of `play` prompts (default: the prompts folder next to the flows)" };
        var transferFails = new Option<bool>("--transfer-fails") { Description = "Transfers fail (503) instead of succeeding" };
        var config = new Option<FileInfo?>("--config") { Description = "JSON settings file whose Paralinguistics section configures the analysis (e.g. VocalEventModel: rules)" };
        var noNetwork = new Option<bool>("--no-network") { Description = "Webhooks without a --webhook stub fail instead of calling the network" };
        var command = new Command("simulate", "Run a flow against a WAV file and a DTMF script on a virtual clock")
        {
            flow, wav, words, dtmf, called, caller, trunk, at, flows, webhook, hangupAfterWav, maxSeconds, json, model, prompts, transferFails, noNetwork, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            SimulationSettings settings;
            float[] audio;
            Dictionary<string, JsonNode?> stubs;
            ScriptedSpeechRecognizer? script;
            ParalinguisticsOptions analysis;
            try
            {
                analysis = ParalinguisticsSettings.Load(parse.GetValue(config));
                var answeredAt = parse.GetValue(at) is { } text
                    ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal)
                    : DateTimeOffset.Now;
                if (!(parse.GetValue(maxSeconds) > 0))
                {
                    throw new FormatException("--max-seconds must be a positive number of seconds");
                }

                var call = new CallInfo($"sim-{answeredAt.ToUnixTimeSeconds():x}", parse.GetValue(caller)!, parse.GetValue(called)!, parse.GetValue(trunk));
                settings = new SimulationSettings(
                    call, answeredAt, DtmfScript.Parse(parse.GetValue(dtmf)), parse.GetValue(hangupAfterWav),
                    TimeSpan.FromSeconds(parse.GetValue(maxSeconds)), parse.GetValue(transferFails));
                audio = parse.GetValue(wav) is { } file ? WavReader.ReadMono16k(file.FullName) : [];
                stubs = ReadStubs(parse.GetValue(webhook) ?? []);
                script = parse.GetValue(words) is { } wordsFile ? new ScriptedSpeechRecognizer(File.ReadAllText(wordsFile.FullName)) : null;
                if (!File.Exists(ToolPaths.VadModel(parse.GetValue(model))))
                {
                    throw new FileNotFoundException(
                        $"VAD model '{ToolPaths.VadModel(parse.GetValue(model))}' not found (bash scripts/fetch-vad-model.sh, --model or ${ToolPaths.VadModelVariable})");
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FormatException or JsonException or UnauthorizedAccessException or InvalidOperationException)
            {
                await error.WriteLineAsync($"simulate: {e.Message}").ConfigureAwait(false);
                return UsageError;
            }

            var selected = SelectFlow(parse.GetValue(flow), parse.GetValue(flows)!, settings, output, error, out var exit);
            if (selected is null)
            {
                return exit;
            }

            var vadOptions = new VadOptions { ModelPath = ToolPaths.VadModel(parse.GetValue(model)) };
            var promptOptions = new PromptOptions { Directory = ToolPaths.Prompts(parse.GetValue(prompts), FlowFolder(parse.GetValue(flow), parse.GetValue(flows)!)) };
            using var vad = new SileroVadModel(Options.Create(vadOptions));
            using var http = new HttpClient();
            using var network = parse.GetValue(noNetwork) ? null : new HttpWebhookClient(http, new WebhookOptions(), TimeProvider.System);
            var speech = new EspeakSpeechSynthesizer(new SpeechSynthesisOptions());
            var conversation = SimulationConversation.FromEnvironment(speech);
            using var client = conversation?.Client;
            var simulator = new FlowSimulator(
                speech,
                new UrlPromptStore(new WavPromptStore(promptOptions), http, promptOptions, TimeProvider.System),
                analyzerFactory(analysis),
                vad,
                vadOptions,
                new FrustrationOptions(),
                conversation: conversation,
                recognizer: script ?? SimulationConversation.Recognizer());
            var timeline = new SimulationTimeline(output, parse.GetValue(json));
            await simulator.RunAsync(selected, audio, settings, stubs, network, timeline, TimeZoneInfo.Local).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>The folder whose prompts folder a flow plays from: the flow file's, else the flows directory.</summary>
    private static string FlowFolder(string? flow, DirectoryInfo flows) =>
        flow is not null && File.Exists(flow) ? Path.GetDirectoryName(Path.GetFullPath(flow))! : flows.FullName;

    private static FlowDefinition? SelectFlow(string? flow, DirectoryInfo flows, SimulationSettings settings, TextWriter output, TextWriter error, out int exit)
    {
        exit = 0;
        if (flow is not null && (File.Exists(flow) || flow.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)))
        {
            if (!File.Exists(flow))
            {
                error.WriteLine($"simulate: flow file '{flow}' not found");
                exit = UsageError;
                return null;
            }

            var loaded = FlowLoader.LoadFile(flow);
            if (!loaded.IsValid)
            {
                ValidationPrinter.PrintErrors(loaded.Errors, output);
                exit = InvalidFlow;
                return null;
            }

            return loaded.Flow;
        }

        if (!flows.Exists)
        {
            error.WriteLine($"simulate: flows directory '{flows.FullName}' not found");
            exit = UsageError;
            return null;
        }

        var set = FlowSetLoader.LoadDirectory(flows.FullName);
        if (set.Set is null || set.Errors.Count > 0)
        {
            ValidationPrinter.PrintErrors(set.Errors, output);
            exit = InvalidFlow;
            return null;
        }

        if (flow is null)
        {
            return set.Set.Select(settings.Call, new RoutingScope(settings.Call, settings.AnsweredAt, TimeZoneInfo.Local));
        }

        if (set.Set.Flows.TryGetValue(flow, out var named))
        {
            return named;
        }

        error.WriteLine($"simulate: no flow named '{flow}' in {flows.FullName} (flows: {string.Join(", ", set.Set.Flows.Keys.Order(StringComparer.Ordinal))})");
        exit = UsageError;
        return null;
    }

    private static Dictionary<string, JsonNode?> ReadStubs(IEnumerable<string> items)
    {
        var stubs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == item.Length - 1)
            {
                throw new FormatException($"--webhook '{item}': expected NAME=FILE.json");
            }

            var path = item[(equals + 1)..];
            stubs[item[..equals]] = JsonNode.Parse(File.ReadAllText(path));
        }

        return stubs;
    }
}
