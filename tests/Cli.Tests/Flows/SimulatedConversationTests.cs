using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallEngine.Conversation;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Cli.Flows.Simulate;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Testing.ModelServers;

namespace StepAudio.Telephony.Cli.Tests.Flows;

/// <summary>
/// <c>converse</c> through the call engine on the virtual clock (the same code as a live call): real VAD, analysis and
/// espeak-ng, and a real HTTP model server on loopback answering as an OpenAI-compatible endpoint does.
/// </summary>
public sealed class SimulatedConversationTests : IDisposable
{
    private const string Yaml = """
        flow: assistant
        start: talk
        steps:
          talk:
            converse:
              instructions: You are the billing assistant.
              greeting: Hello.
              actions: [goto_step, set_variable, hangup, send_dtmf]
              steps: [done]
              max_turns: 4
              fallback: sorry
            next: done
          done:
            say: "Goodbye {{ vars.account }}."
          sorry:
            say: "Sorry, please call again."
        """;

    private static readonly DateTimeOffset Answered = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("conv-sim-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_caller_turn_reaches_the_model_as_audio_with_its_state_and_the_model_action_continues_the_flow()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, _) => ReplyWithToolsAsync(context, ["Thank you. ", "I noted your account."],
            ("set_variable", """{"name":"account","value":"4711"}"""), ("goto_step", """{"step":"done"}"""));

        var (result, events, said) = await SimulateAsync(server, Speech(("I would like to pay my bill please.", 2.0)));

        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        Assert.Equal("Goodbye 4711.", said[^1]);
        var turn = Assert.Single(events.OfType<ConversationTurn>());
        Assert.Equal(("talk", 1, "audio", "ep0", "replied", "goto_step", 1), (turn.Step, turn.Turn, turn.Input, turn.Endpoint, turn.Outcome, turn.Action, turn.Attempts));
        Assert.False(turn.EarlyRequest); // off by default
        Assert.True(turn.RequestSentSeconds >= turn.TurnDecidedSeconds, $"{turn}");
        Assert.NotNull(turn.FirstReplyPacketSeconds);
        Assert.True(turn.TurnDecidedSeconds > 0 && turn.FirstReplyPacketSeconds >= turn.TurnDecidedSeconds, $"{turn}");
        Assert.True(turn.HeardSeconds > 0.5, $"{turn}");

        using var body = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        var messages = body.RootElement.GetProperty("messages");
        Assert.Equal(["system", "assistant", "user"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Hello.", messages[1].GetProperty("content").ValueKind == JsonValueKind.String
            ? messages[1].GetProperty("content").GetString()
            : messages[1].GetProperty("content")[0].GetProperty("text").GetString());
        var parts = messages[2].GetProperty("content").EnumerateArray().ToList();
        Assert.Contains("<caller_state turn=\"1\"", parts[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var wav = Convert.FromBase64String(parts[1].GetProperty("input_audio").GetProperty("data").GetString()!);
        Assert.InRange(Inference.Audio.WavCodec.Decode(wav).Samples.Length, 16_000, 16_000 * 5);
    }

    [Fact]
    public async Task When_no_endpoint_answers_the_fallback_step_runs_and_the_turn_is_reported_failed()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, _) => LoopbackModelServer.ErrorAsync(context, 503);

        var (result, events, said) = await SimulateAsync(server, Speech(("Hello, is anybody there?", 2.0)));

        Assert.Equal("Sorry, please call again.", said[^1]);
        Assert.Equal("sorry", result.LastStep);
        var turn = Assert.Single(events.OfType<ConversationTurn>());
        Assert.Equal(("failed", (string?)null, 0.0), (turn.Outcome, turn.Endpoint, turn.HeardSeconds));
    }

    [Fact]
    public async Task Talking_over_a_long_reply_cuts_it_and_the_model_is_told_only_what_was_heard()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        var longReply = Enumerable.Range(1, 8).Select(i => $"This is sentence number {i} of a long explanation about your invoice. ").ToArray();
        server.Handler = (context, _, number) => number == 1
            ? LoopbackModelServer.StreamTextAsync(context, longReply)
            : ReplyWithToolsAsync(context, ["Okay, goodbye."], ("hangup", """{"reason":"caller is done"}"""));

        // The first turn ends near 4 s; the reply then runs for well over ten seconds; the caller talks over it at 9 s.
        var logger = new RecordingLogger();
        var (result, events, _, _) = await SimulateAsync(server, Speech(("What is this charge on my bill?", 2.0), ("Stop, I just want to cancel.", 9.0)), logger, _ => { });

        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        var turns = events.OfType<ConversationTurn>().ToList();
        Assert.Equal(2, turns.Count);
        Assert.Equal("interrupted", turns[0].Outcome);
        Assert.InRange(turns[0].HeardSeconds, 1, 8);
        Assert.Equal(("replied", "hangup"), (turns[1].Outcome, turns[1].Action));
        Assert.Contains(events, e => e is BargeInDetected);

        // The log line scripts/conversation-latency.sh --interrupt measures against: when the barge-in was decided, on
        // the call's clock (here the simulation's, which starts at the answer): after the caller had talked over the
        // reply (from 9 s) for the 300 ms that make it speech.
        var decided = System.Text.RegularExpressions.Regex.Match(logger.Text, "barge-in decided at unix ms ([0-9]+)");
        Assert.True(decided.Success, logger.Text);
        var decidedAfterAnswer = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(decided.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)) - Answered;
        Assert.InRange(decidedAfterAnswer.TotalSeconds, 9.3, 10.5);

        var second = JsonNode.Parse(server.Requests.ElementAt(1).Body)!["messages"]!.AsArray();
        var heard = second.Select(m => m!["content"]).Where(c => c is JsonValue).Select(c => c!.GetValue<string>())
            .Concat(second.Select(m => m!["content"]).OfType<JsonArray>().SelectMany(a => a).Select(p => p!["text"]?.GetValue<string>() ?? string.Empty))
            .Single(t => t.Contains("interrupted by the caller", StringComparison.Ordinal));
        Assert.StartsWith("This is sentence number 1", heard, StringComparison.Ordinal);
        Assert.DoesNotContain("number 8", heard, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task With_transcripts_off_what_the_model_server_echoes_never_reaches_the_trace_or_the_log(bool transcripts)
    {
        // A model server that repeats the caller's words everywhere it can: a tool it made up, the reason it gives for
        // hanging up and, on the next call, an error body.
        const string Words = "4929 1234 5678";
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, number) => number switch
        {
            1 => ReplyWithToolsAsync(context, ["Let me look."], ("save_card_" + Words.Replace(' ', '_'), "{}")),
            2 => ReplyWithToolsAsync(context, ["Goodbye."], ("hangup", $$"""{"reason":"caller read out card {{Words}}"}""")),
            _ => LoopbackModelServer.ErrorAsync(context, 500, "could not handle: my card is " + Words),
        };
        var log = new RecordingLogger();
        var calls = Speech(("My card number is on the letter.", 2.0), ("Thank you, that is all.", 9.0));

        var (ended, _, _, hungUpTrace) = await SimulateAsync(server, calls, log, o => o.LogTranscripts = transcripts);
        var (failed, _, said, failedTrace) = await SimulateAsync(server, Speech(("Hello, is anybody there?", 2.0)), log, o => o.LogTranscripts = transcripts);

        Assert.Equal(FlowOutcome.Completed, ended.Outcome);
        Assert.Equal("Sorry, please call again.", said[^1]);
        Assert.Equal("sorry", failed.LastStep);
        var written = hungUpTrace + failedTrace + log.Text;
        Assert.Contains("HTTP 500", written, StringComparison.Ordinal);
        Assert.Contains("refused", written, StringComparison.Ordinal);
        Assert.Equal(transcripts, written.Contains("4929", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_server_slower_than_the_filler_bound_in_real_time_costs_no_call_time_so_no_filler_plays()
    {
        // Call time stands still while the model works: a simulation gives the same timeline on a fast or a loaded
        // machine, and the filler (1.5 s of call time) never plays because the server took 2 s of real time.
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = async (context, _, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2), context.RequestAborted);
            await ReplyWithToolsAsync(context, ["Here you are."], ("hangup", """{"reason":"done"}"""));
        };

        var (result, events, _, _) = await SimulateAsync(
            server, Speech(("What do I owe?", 2.0)), NullLogger.Instance, o =>
            o.FillerAfter = TimeSpan.FromSeconds(1.5)); // FirstTokenTimeout stays 30 s of real time, far above the 2 s

        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        var turn = Assert.Single(events.OfType<ConversationTurn>());
        Assert.False(turn.FillerPlayed, $"{turn}");
        Assert.NotNull(turn.FirstReplyPacketSeconds);
        Assert.InRange(turn.FirstReplyPacketSeconds!.Value - turn.RequestSentSeconds, 0, 0.1);
    }

    [Theory]
    [InlineData(false, "send_dtmf 5 keys sent")]
    [InlineData(true, "send_dtmf 5551# sent")]
    public async Task Keys_the_model_sends_go_out_after_its_reply_and_the_trace_names_them_only_with_transcripts_on(bool transcripts, string expected)
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, _) => ReplyWithToolsAsync(context, ["Dialling the extension."],
            ("send_dtmf", """{"digits":"5551#"}"""), ("hangup", """{"reason":"handed over"}"""));

        var (result, _, _, trace) = await SimulateAsync(server, Speech(("Extension five five five one please.", 2.0)), NullLogger.Instance, o => o.LogTranscripts = transcripts);

        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        Assert.True(trace.Contains(expected, StringComparison.Ordinal), string.Join("\n", trace.Split('\n').Where(l => !l.Contains(" event ", StringComparison.Ordinal))));
        Assert.Equal(transcripts, trace.Contains("5551", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_early_requests_on_the_request_sent_at_the_pause_that_ends_the_turn_is_the_reply()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, number) => ReplyWithToolsAsync(context, ["Let me check."],
            ("set_variable", $$"""{"name":"account","value":"{{number}}"}"""), ("goto_step", """{"step":"done"}"""));
        using var counts = new EarlyRequestCounts();

        var (result, events, said, trace) = await SimulateAsync(
            server, Speech(("What do I owe this month?", 2.0)), NullLogger.Instance, o => o.EarlyRequestPause = TimeSpan.FromMilliseconds(100));

        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        var turn = Assert.Single(events.OfType<ConversationTurn>());
        Assert.True(turn.EarlyRequest, $"{turn}");
        Assert.True(turn.RequestSentSeconds < turn.TurnDecidedSeconds - 0.1, $"{turn}"); // sent at the pause, before the end of the turn was decided
        Assert.True(turn.FirstReplyPacketSeconds >= turn.TurnDecidedSeconds, $"{turn}"); // never played before the turn was over
        Assert.Contains("(request sent at a pause)", trace, StringComparison.Ordinal);

        // The kept reply is the last request's: any request sent at an earlier pause inside the speech left no variable.
        Assert.Equal($"Goodbye {server.Count}.", said[^1]);

        // Metrics: one request used; any other started was cancelled because the caller went on.
        Assert.Equal(1, counts.Used);
        Assert.True(counts.Started >= 1, $"{counts}");
        Assert.Equal(counts.Started - 1, counts.Cancelled);
        Assert.Equal(counts.Cancelled, counts["cancelled:speech_resumed"]);
    }

    [Fact]
    public async Task A_request_sent_at_a_pause_after_which_the_caller_goes_on_is_dropped_unplayed_and_its_actions_are_never_taken()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        // One turn with a 250 ms pause in it: longer than the early-request pause, shorter than the VAD's 300 ms end of turn.
        var first = Trimmed(Render("I would like to pay"));
        server.Handler = (context, recorded, number) => AudioSamples(recorded.Body) < first.Length + 1_600
            ? ReplyWithToolsAsync(context, ["This reply must never be heard."], ("hangup", """{"reason":"dropped"}"""))
            : ReplyWithToolsAsync(context, ["Let me check."], ("set_variable", $$"""{"name":"account","value":"{{number}}"}"""), ("goto_step", """{"step":"done"}"""));

        using var counts = new EarlyRequestCounts();
        var (result, events, said, trace) = await SimulateAsync(
            server, Turn("I would like to pay", 0.25, "my bill please"), NullLogger.Instance, o => o.EarlyRequestPause = TimeSpan.FromMilliseconds(100));

        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        Assert.Contains("the caller went on speaking", trace, StringComparison.Ordinal);
        var turn = Assert.Single(events.OfType<ConversationTurn>());
        Assert.Equal(("replied", "goto_step"), (turn.Outcome, turn.Action));
        Assert.Equal($"Goodbye {server.Count}.", said[^1]); // the reply kept is the last request's, and a dropped request's hangup was never taken

        // The reply kept was asked with the whole turn, not the speech up to the pause (call time outruns a dropped
        // request, so it may never have reached the server).
        Assert.True(AudioSamples(server.Requests.Last().Body) > first.Length + 8_000, $"{AudioSamples(server.Requests.Last().Body)} vs {first.Length}");
        Assert.Single(events.OfType<SpeechSegmentDetected>());

        // Metrics: the request at the 250 ms pause was started and cancelled (speech resumed); the one kept was used.
        Assert.True(counts["cancelled:speech_resumed"] >= 1, $"{counts}");
        Assert.Equal(1, counts.Used);
        Assert.Equal(counts.Started, counts.Used + counts.Cancelled);
    }

    [Fact]
    public async Task A_transfer_the_model_decides_is_reported_as_requested_by_the_model()
    {
        const string transferYaml = """
            flow: assistant
            start: talk
            steps:
              talk:
                converse:
                  instructions: You are the billing assistant.
                  actions: [transfer, hangup]
                  transfer_to: sip:agent@pbx.example
                  max_turns: 2
            """;
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, _) => ReplyWithToolsAsync(context, ["Let me put you through."], ("transfer", """{"reason":"wants a person"}"""));

        var (result, events, _, _) = await SimulateAsync(server, Speech(("I want to talk to a person.", 2.0)), NullLogger.Instance, _ => { }, transferYaml);

        Assert.Equal(FlowOutcome.Transferred, result.Outcome);
        var transferred = Assert.Single(events.OfType<CallTransferred>());
        Assert.Equal(("model", "talk", "sip:agent@pbx.example"), (transferred.RequestedBy, transferred.Step, transferred.Target));
    }

    private static async Task ReplyWithToolsAsync(HttpContext context, string[] text, params (string Name, string Arguments)[] tools)
    {
        await LoopbackModelServer.WriteChunkAsync(context, new { role = "assistant", content = string.Empty });
        foreach (var piece in text)
        {
            await LoopbackModelServer.WriteChunkAsync(context, new { content = piece });
        }

        for (var i = 0; i < tools.Length; i++)
        {
            await LoopbackModelServer.WriteChunkAsync(context, new
            {
                tool_calls = new[] { new { index = i, id = $"call_{i}", type = "function", function = new { name = tools[i].Name, arguments = tools[i].Arguments } } },
            });
        }

        await LoopbackModelServer.WriteChunkAsync(context, new { }, tools.Length > 0 ? "tool_calls" : "stop");
        await LoopbackModelServer.WriteEventAsync(context, "[DONE]");
    }

    private static async Task<(FlowResult Result, List<Analytics.Contracts.ICallEvent> Events, List<string> Said)> SimulateAsync(LoopbackModelServer server, float[] audio)
    {
        var (result, events, said, _) = await SimulateAsync(server, audio, NullLogger.Instance, _ => { });
        return (result, events, said);
    }

    private static Task<(FlowResult Result, List<Analytics.Contracts.ICallEvent> Events, List<string> Said, string Trace)> SimulateAsync(
        LoopbackModelServer server, float[] audio, ILogger logger, Action<ConversationOptions> configure, string yaml = Yaml)
    {
        // The model client's bounds are real time (call time stands still while the model works): far from what a
        // loopback server needs on a loaded machine, unless a test sets its own.
        var options = new ConversationOptions { FillerAfter = TimeSpan.FromMinutes(1), FirstTokenTimeout = TimeSpan.FromSeconds(30), IdleTimeout = TimeSpan.FromSeconds(30) };
        configure(options);
        options.Endpoints.Add(new ConversationEndpointOptions { BaseUrl = server.BaseUrl, Model = "step-audio-r1.1", Name = "ep0" });
        return ConversationSimulation.RunAsync(yaml, audio, options, logger);
    }

    /// <summary>One caller turn: two utterances (their own leading and trailing silence trimmed) with a pause between them.</summary>
    private float[] Turn(string first, double pauseSeconds, string second)
    {
        var audio = new List<float>(new float[2 * 16_000]);
        audio.AddRange(Trimmed(Render(first)));
        audio.AddRange(new float[(int)(pauseSeconds * 16_000)]);
        audio.AddRange(Trimmed(Render(second)));
        audio.AddRange(new float[16_000 * 3]);
        return [.. audio];
    }

    private static float[] Trimmed(float[] samples)
    {
        var start = Array.FindIndex(samples, s => Math.Abs(s) > 0.01f);
        var end = Array.FindLastIndex(samples, s => Math.Abs(s) > 0.01f);
        return start < 0 ? [] : samples[start..(end + 1)];
    }

    private static int AudioSamples(string body)
    {
        var messages = JsonNode.Parse(body)!["messages"]!.AsArray();
        var wav = messages[^1]!["content"]!.AsArray().Select(p => p!["input_audio"]?["data"]?.GetValue<string>()).Single(d => d is not null);
        return Inference.Audio.WavCodec.Decode(Convert.FromBase64String(wav!)).Samples.Length;
    }

    private float[] Render(string text)
    {
        var wav = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".wav");
        Exec("espeak-ng", "-v", "en-us", "-w", wav, text);
        var (decoded, rate) = Inference.Audio.WavCodec.Decode(File.ReadAllBytes(wav));
        return Inference.Resampling.WdlClipResampler.Resample(decoded, rate, 16_000);
    }

    /// <summary>Utterances rendered by espeak-ng, each starting at its time, at 16 kHz.</summary>
    private float[] Speech(params (string Text, double At)[] utterances)
    {
        var audio = new List<float>();
        foreach (var (text, at) in utterances)
        {
            var samples = Render(text);
            audio.AddRange(new float[Math.Max(0, (int)(at * 16_000) - audio.Count)]);
            audio.AddRange(samples);
        }

        audio.AddRange(new float[16_000 * 3]);
        return [.. audio];
    }

    private static void Exec(string tool, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {stderr}");
    }
}
