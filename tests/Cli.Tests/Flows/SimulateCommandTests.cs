using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StepAudio.Telephony.Cli.Tests.Flows;

/// <summary>
/// <c>simulate</c> on the example flows: the real runner, VAD, analysis, frustration tracker and espeak-ng, on a
/// virtual clock (so the same script gives the same steps every time, in well under real time).
/// </summary>
public sealed partial class SimulateCommandTests : IDisposable
{
    // A weekday morning in Berlin: the support line is open (routes.yaml).
    private const string OpenHours = "2026-11-23T10:00:00+01:00";

    // Saturday night in Berlin: closed.
    private const string Closed = "2026-11-21T22:00:00+01:00";

    private readonly string _dir = Directory.CreateTempSubdirectory("stepaudio-simulate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Billing_choice_walks_the_menu_and_says_the_looked_up_balance()
    {
        var account = Stub("account.json", """{ "vip": false, "balance": 42 }""");

        var (exit, output, error) = FlowCli.Simulate("support", "--dtmf", "1@3s", "--webhook", $"account={account}", "--at", OpenHours);

        Assert.True(exit == 0, error + output);
        Assert.Equal(["welcome", "lookup", "vip_check", "menu", "route", "billing", "goodbye"], Steps(output));
        Assert.Contains("say   \"Your balance is 42 dollars.\"", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^outcome: completed at step goodbye\b", output);
    }

    [Fact]
    public void A_silent_caller_hears_the_menu_three_times_then_the_no_answer_path()
    {
        var account = Stub("account.json", """{ "vip": false, "balance": 0 }""");

        var (exit, output, error) = FlowCli.Simulate("support", "--webhook", $"account={account}", "--at", OpenHours);

        Assert.True(exit == 0, error + output);
        Assert.Equal(3, Regex.Count(output, "say   \"For billing press 1"));
        Assert.Equal(["welcome", "lookup", "vip_check", "menu", "no_answer", "goodbye"], Steps(output));
        Assert.Matches(@"(?m)^outcome: completed at step goodbye\b", output);
    }

    [Fact]
    public void Mashed_keys_frustrate_the_caller_and_escalate_to_the_agent()
    {
        var account = Stub("account.json", """{ "vip": false, "balance": 0 }""");
        var mash = string.Join(' ', Enumerable.Range(0, 10).Select(i => $"9@{3 + (0.3 * i):0.0}s"));

        var (exit, output, error) = FlowCli.Simulate("support", "--dtmf", mash, "--webhook", $"account={account}", "--at", OpenHours, "--json");

        Assert.True(exit == 0, error + output);
        var lines = JsonLines(output);
        Assert.Contains(lines, l => l.GetProperty("type").GetString() == "trace" && l.GetProperty("kind").GetString() == "handler"
            && l.GetProperty("detail").GetString()!.Contains("agent", StringComparison.Ordinal));
        var transferred = Event(lines, "CallTransferred");
        Assert.Equal("sip:agent@127.0.0.1:5090", transferred.GetProperty("target").GetString());
        Assert.Equal("agent", transferred.GetProperty("step").GetString());
        Assert.True(transferred.GetProperty("frustration").GetDouble() > 0.6);
        var ended = Event(lines, "CallEnded");
        Assert.Equal("transferred", ended.GetProperty("outcome").GetString());
        Assert.Equal("agent", ended.GetProperty("lastStep").GetString());
        Assert.Equal("support", ended.GetProperty("flow").GetString());
    }

    [Fact]
    public void A_failed_transfer_takes_the_on_failure_path()
    {
        var account = Stub("account.json", """{ "vip": true, "balance": 0 }""");

        var (exit, output, error) = FlowCli.Simulate("support", "--webhook", $"account={account}", "--at", OpenHours, "--transfer-fails");

        Assert.True(exit == 0, error + output);
        Assert.Equal(["welcome", "lookup", "vip_check", "agent", "sorry", "goodbye"], Steps(output));
        Assert.DoesNotContain("CallTransferred", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^outcome: completed at step goodbye\b", output);
    }

    [Fact]
    public async Task Webhooks_without_a_stub_call_the_backend_over_http()
    {
        using var backend = new HttpListener();
        var port = FreePort.Tcp();
        backend.Prefixes.Add($"http://127.0.0.1:{port}/");
        backend.Start();
        var answering = Task.Run(async () =>
        {
            var context = await backend.GetContextAsync();
            var body = Encoding.UTF8.GetBytes("""{ "vip": false, "balance": 17 }""");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
            return context.Request.Url!.AbsolutePath;
        });
        var flow = Path.Combine(_dir, "support.yaml");
        File.WriteAllText(flow, File.ReadAllText(Path.Combine(FlowCli.ExampleFlows, "support.yaml"))
            .Replace("http://127.0.0.1:8089", $"http://127.0.0.1:{port}", StringComparison.Ordinal)
            // The lookup's 2 s is real time and the listener answers once: a loaded machine must not time it out.
            .Replace("timeout: 2s", "timeout: 30s", StringComparison.Ordinal));

        var (exit, output, error) = FlowCli.Run(
            "simulate", flow, "--dtmf", "1@3s", "--at", OpenHours, "--model", FlowCli.VadModel, "--prompts", _dir);

        Assert.True(exit == 0, error + output);
        Assert.Equal("/accounts/lookup", await answering.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("say   \"Your balance is 17 dollars.\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Routing_sends_a_closed_hours_call_to_after_hours_where_the_caller_leaves_a_message()
    {
        // 1 at 9 s chooses a message, 1 at 14 s agrees to the recording; the CRM's answer is stubbed.
        var crm = Stub("crm.json", "{}");
        var (exit, output, error) = FlowCli.Simulate("--called", "+15550100", "--at", Closed, "--dtmf", "1@9s 1@14s", "--webhook", $"voicemail={crm}");

        Assert.True(exit == 0, error + output);
        Assert.Equal(["closed", "offer", "choose", "consent", "agreed", "message", "thanks", "goodbye"], Steps(output));
        Assert.Contains("(not recorded in simulation)", output, StringComparison.Ordinal);
        Assert.Contains("webhook HTTP 200", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^outcome: completed at step goodbye\b", output);
    }

    [Fact]
    public void A_key_during_a_plain_say_neither_cuts_it_short_nor_answers_the_next_gather()
    {
        // 1@2s comes during the closing-hours message: a say is interruptible by speech only unless it says otherwise
        // (interruptible), so the message plays to its end, and the menu that follows starts with a clean slate.
        var (exit, output, error) = FlowCli.Simulate("after-hours", "--at", Closed, "--dtmf", "1@2s");

        Assert.True(exit == 0, error + output);
        Assert.DoesNotContain("interrupt", output, StringComparison.Ordinal);
        var offer = Assert.Single(output.Split('\n'), l => l.Contains("step  offer (gather)", StringComparison.Ordinal));
        Assert.True(double.Parse(offer.Trim().Split('s')[0], System.Globalization.CultureInfo.InvariantCulture) > 2.5, offer);
        Assert.Equal(["closed", "offer", "goodbye"], Steps(output));
    }

    [Fact]
    public void Routing_keeps_an_open_hours_call_on_support()
    {
        var (exit, output, error) = FlowCli.Simulate("--called", "+15550100", "--at", OpenHours, "--max-seconds", "5", "--hangup-after-wav");

        Assert.True(exit == 0, error + output);
        Assert.Equal("welcome", Steps(output)[0]);
    }

    [Fact]
    public void Events_are_numbered_1_to_N_and_CallEnded_carries_outcome_and_last_step()
    {
        var (exit, output, error) = FlowCli.Simulate("after-hours", "--dtmf", "2@1s", "--at", Closed, "--json");

        Assert.True(exit == 0, error + output);
        var events = JsonLines(output).Where(l => l.GetProperty("type").GetString() == "event").ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("message").GetProperty("sequence").GetInt64()));
        Assert.Equal("CallStarted", events[0].GetProperty("event").GetString());
        Assert.Equal("CallEnded", events[^1].GetProperty("event").GetString());
        var ended = events[^1].GetProperty("message");

        // The callback webhook has no stub and the network is off: on_failure goes to goodbye.
        Assert.Equal("completed", ended.GetProperty("outcome").GetString());
        Assert.Equal("goodbye", ended.GetProperty("lastStep").GetString());
        Assert.Equal("after-hours", ended.GetProperty("flow").GetString());
        Assert.False(string.IsNullOrEmpty(ended.GetProperty("flowVersion").GetString()));
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "DtmfReceived" && e.GetProperty("message").GetProperty("digit").GetString() == "2");
    }

    [Fact]
    public void Json_output_is_for_people_a_plus_stays_a_plus()
    {
        var (exit, output, error) = FlowCli.Simulate("after-hours", "--dtmf", "2@1s", "--at", Closed, "--caller", "+15555550123", "--json");

        Assert.True(exit == 0, error + output);
        Assert.Contains("\"from\":\"+15555550123\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", output, StringComparison.Ordinal);
        Assert.All(JsonLines(output), l => Assert.NotEqual(JsonValueKind.Undefined, l.GetProperty("type").ValueKind)); // still valid JSON
    }

    [Fact]
    public void A_caller_who_hangs_up_when_the_wav_ends_abandons_the_call()
    {
        var wav = Path.Combine(_dir, "short.wav");
        File.WriteAllBytes(wav, TestWav.Pcm16(8000, new short[8000]));

        var (exit, output, error) = FlowCli.Simulate("support", "--wav", wav, "--hangup-after-wav", "--at", OpenHours);

        Assert.True(exit == 0, error + output);
        Assert.Matches(@"(?m)^outcome: abandoned at step welcome\b", output);
        Assert.Matches(@"event CallEnded .*""hungUpBy"":""caller""", output);
    }

    [Fact]
    public void Spoken_description_reaches_the_flow_through_the_vad()
    {
        var account = Stub("account.json", """{ "vip": false, "balance": 0 }""");
        var speech = SpeechWav("My internet connection keeps dropping every evening.", leadSeconds: 9);

        var (exit, output, error) = FlowCli.Simulate(
            "support", "--wav", speech, "--dtmf", "2@3s", "--webhook", $"account={account}", "--at", OpenHours);

        Assert.True(exit == 0, error + output);
        Assert.Contains("input speech", output, StringComparison.Ordinal);
        Assert.Contains("event SpeechSegmentDetected", output, StringComparison.Ordinal);
        Assert.Contains("event EmotionDetected", output, StringComparison.Ordinal);
        Assert.Contains("mood", Steps(output));
    }

    [Theory]
    [InlineData("# the caller's first turn\nI want to pay my bill, thank you, that is great\n", "billing", true)]
    [InlineData("-\n", "other", false)]
    [InlineData("", "other", false)]
    public void Words_from_a_script_reach_a_speech_gather_so_branch_can_test_them(string script, string expected, bool opinion)
    {
        var flow = Path.Combine(_dir, "words.yaml");
        File.WriteAllText(flow, """
            flow: words
            start: ask
            steps:
              ask:
                gather:
                  input: [speech]
                  say: "How can I help?"
                  timeout: 5s
                  retries: 0
                  no_input: other
                next: route
              route:
                branch:
                  - if: contains(text, "bill") and confidence > 0.5
                    goto: billing
                  - else: other
              billing:
                say: "Billing it is."
              other:
                say: "Let me find someone."
            """);
        var words = Path.Combine(_dir, "words.txt");
        File.WriteAllText(words, script);
        var speech = SpeechWav("Something the recogniser would hear.", leadSeconds: 3);

        var (exit, output, error) = FlowCli.Simulate(flow, "--wav", speech, "--words", words);
        var (_, json, _) = FlowCli.Simulate(flow, "--wav", speech, "--words", words, "--json");

        Assert.True(exit == 0, error + output);
        Assert.Equal(["ask", "route", expected], Steps(output));

        // The turn's emotion says how the words agreed with the voice (a label), only when there were words with an opinion.
        var emotion = Event(JsonLines(json), "EmotionDetected");
        var wordsVoice = emotion.TryGetProperty("wordsVoice", out var label) && label.ValueKind == JsonValueKind.String ? label.GetString() : null;
        if (opinion)
        {
            Assert.Contains(wordsVoice, new[] { "consistent", "ambiguous_negative" });
        }
        else
        {
            Assert.Null(wordsVoice);
        }

        Assert.DoesNotContain("thank you", json, StringComparison.OrdinalIgnoreCase); // never the words themselves
    }

    [Fact]
    public void Speaking_over_the_welcome_prompt_is_a_barge_in_that_cuts_it_short()
    {
        var account = Stub("account.json", """{ "vip": false, "balance": 0 }""");
        var speech = SpeechWav("Hello, I need help with my bill.", leadSeconds: 0.5);

        var (exit, output, error) = FlowCli.Simulate(
            "support", "--wav", speech, "--webhook", $"account={account}", "--at", OpenHours, "--max-seconds", "6", "--hangup-after-wav", "--json");

        Assert.True(exit == 0, error + output);
        var lines = JsonLines(output);
        var barge = Event(lines, "BargeInDetected");
        Assert.InRange(barge.GetProperty("atSeconds").GetDouble(), 0.4, 1.2);

        // The welcome prompt alone lasts over 2 s; the flow moves on as soon as the VAD hears the caller.
        var lookup = Assert.Single(lines, l => l.GetProperty("type").GetString() == "trace" && l.GetProperty("kind").GetString() == "step"
            && l.GetProperty("step").GetString() == "lookup");
        Assert.InRange(lookup.GetProperty("at").GetDouble(), 0.4, 1.2);
        Assert.Equal(1, Event(lines, "CallEnded").GetProperty("bargeIns").GetInt32());
    }

    [Fact]
    public void Play_lasts_as_long_as_the_prompt_file_and_a_missing_prompt_goes_to_on_error()
    {
        var prompts = Directory.CreateDirectory(Path.Combine(_dir, "prompts")).FullName;
        Exec("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", Path.Combine(prompts, "chime.wav"), "synth", "1.5", "sine", "440");
        var flow = Path.Combine(_dir, "jingle.yaml");
        File.WriteAllText(flow, """
            flow: jingle
            start: chime
            handlers:
              on_error: { goto: oops }
            steps:
              chime:
                play: chime.wav
                next: missing
              missing:
                play: nothing-here.wav
                next: done
              done:
                hangup: true
              oops:
                hangup: { reason: prompt missing }
            """);

        var (exit, output, error) = FlowCli.Run("simulate", flow, "--at", OpenHours, "--model", FlowCli.VadModel, "--prompts", prompts);

        Assert.True(exit == 0, error + output);
        Assert.Contains("   1.50s  step  missing (play)", output, StringComparison.Ordinal);
        Assert.Equal(["chime", "missing", "oops"], Steps(output));
        Assert.Matches(@"(?m)^outcome: completed at step oops \(prompt missing\)", output);
    }

    [Fact]
    public void An_invalid_flow_file_exits_1_with_its_errors()
    {
        var broken = Path.Combine(_dir, "broken.yaml");
        File.WriteAllText(broken, "flow: broken\nstart: a\nsteps:\n  a:\n    say: hi\n    next: nowhere\n");

        var (exit, output, _) = FlowCli.Simulate(broken);

        Assert.Equal(1, exit);
        Assert.Matches(@"broken\.yaml:6:\d+: steps\.a\.next: ", output);
    }

    [Theory]
    [InlineData("--dtmf", "1@soon")]
    [InlineData("--wav", "/nonexistent/caller.wav")]
    [InlineData("--webhook", "account")]
    [InlineData("--max-seconds", "0")]
    public void Bad_arguments_exit_2(string option, string value)
    {
        var (exit, _, error) = FlowCli.Simulate("support", option, value);

        Assert.Equal(2, exit);
        Assert.StartsWith("simulate: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unparsable_options_exit_2()
    {
        var (exit, _, error) = FlowCli.Simulate("support", "--max-seconds", "long");

        Assert.Equal(2, exit);
        Assert.Contains("long", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_flow_name_exits_2_listing_the_flows()
    {
        var (exit, _, error) = FlowCli.Simulate("sales");

        Assert.Equal(2, exit);
        Assert.Contains("after-hours, escalation, pharmacy, support, voicemail", error, StringComparison.Ordinal);
    }

    private static List<string> Steps(string output) =>
        [.. StepLine().Matches(output).Select(m => m.Groups[1].Value)];

    private static List<JsonElement> JsonLines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static JsonElement Event(List<JsonElement> lines, string name) =>
        Assert.Single(lines, l => l.GetProperty("type").GetString() == "event" && l.GetProperty("event").GetString() == name).GetProperty("message");

    private string Stub(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    // Speech as make-eval-set.sh makes it (espeak-ng, then sox to 16 kHz mono 16-bit), after leadSeconds of silence.
    private string SpeechWav(string text, double leadSeconds)
    {
        var raw = Path.Combine(_dir, "raw.wav");
        var wav = Path.Combine(_dir, "speech.wav");
        Exec("espeak-ng", "-v", "en-us", "-w", raw, text);
        Exec("sox", "-R", raw, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", wav, "pad", leadSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "1");
        return wav;
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

    [GeneratedRegex(@"(?m)^\s+\d+\.\d\ds  step  (\S+) \(")]
    private static partial Regex StepLine();
}
