using System.Globalization;
using System.Text.RegularExpressions;

namespace StepAudio.Telephony.Cli.Tests.Flows;

/// <summary>
/// The example flows in config/flows run as a business would show them: <c>simulate</c> with the real VAD, analysis,
/// frustration tracker, espeak-ng and prompts, on a virtual clock.
/// </summary>
public sealed partial class ExampleFlowTests : IDisposable
{
    // A weekday morning in Berlin: the pharmacy is open.
    private const string Open = "2026-11-23T10:00:00+01:00";

    // Sunday night in Berlin: the pharmacy line goes to after-hours.
    private const string Closed = "2026-11-22T22:00:00+01:00";

    private readonly string _dir = Directory.CreateTempSubdirectory("stepaudio-examples-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Pharmacy_refill_by_keypad_reads_the_number_back_digit_by_digit_and_the_date()
    {
        var refill = Stub("refill.json", """{ "ok": true, "rx": "4711042", "ready": "2026-12-08" }""");
        var keys = "1@4s 4@12s 7@12.3s 1@12.6s 1@12.9s 0@13.2s 4@13.5s 2@13.8s";

        var (exit, output, error) = FlowCli.Simulate("--called", "+15550110", "--at", Open, "--dtmf", keys, "--webhook", $"refill={refill}");

        Assert.True(exit == 0, error + output);
        Assert.Equal(["welcome", "menu", "route", "rx_number", "lookup", "refill_result", "refill_ready", "goodbye"], Steps(output));
        Assert.Contains("input dtmf '4711042'", output, StringComparison.Ordinal);

        // Spoken, not read out as tags: "four seven one one zero four two ... December 8th, 2026" with a 400 ms
        // break takes several seconds; the SSML read aloud as text would take far longer.
        var spoken = StepTime(output, "goodbye") - StepTime(output, "refill_ready");
        Assert.InRange(spoken, 5.0, 11.0);
    }

    [Fact]
    public void Pharmacy_caller_who_speaks_instead_of_pressing_a_key_gets_a_pharmacist_after_the_prompt_from_the_prompts_folder()
    {
        var speech = SpeechWav("I need to talk to someone about my medication.", leadSeconds: 4);

        var (exit, output, error) = FlowCli.Simulate("--called", "+15550110", "--at", Open, "--wav", speech);

        Assert.True(exit == 0, error + output);
        Assert.Equal(["welcome", "menu", "route", "pharmacist", "chime", "connect"], Steps(output));
        Assert.Contains("play  connecting.wav", output, StringComparison.Ordinal);

        // connecting.wav lasts 0.5 s: the transfer starts that long after the prompt began.
        Assert.Equal(0.5, StepTime(output, "connect") - StepTime(output, "chime"), 2);
        Assert.Matches(@"(?m)^outcome: transferred at step connect\b", output);
    }

    [Fact]
    public void Pharmacy_hours_pause_before_the_menu_comes_again()
    {
        var (exit, output, error) = FlowCli.Simulate("pharmacy", "--at", Open, "--dtmf", "2@4s 0@14s");

        Assert.True(exit == 0, error + output);
        Assert.Equal(["welcome", "menu", "route", "hours", "breath", "menu", "route", "pharmacist", "chime", "connect"], Steps(output));
        Assert.Equal(1.0, StepTime(output, "menu", 1) - StepTime(output, "breath"), 2);
    }

    [Fact]
    public void Pharmacy_after_hours_goes_to_the_after_hours_flow()
    {
        var (exit, output, error) = FlowCli.Simulate("--called", "+15550110", "--at", Closed, "--max-seconds", "4", "--hangup-after-wav");

        Assert.True(exit == 0, error + output);
        Assert.Equal("closed", Steps(output)[0]);
    }

    [Fact]
    public void Two_sighs_while_the_caller_explains_take_them_straight_to_a_person()
    {
        var wav = SighsThenSpeech(sighs: 2);

        // The sighs here are sox pink noise, which the hand-written rules call sighs and the trained detector (fitted
        // on real sighs) does not: this test is about the flow, so it runs the rules.
        var config = Path.Combine(_dir, "rules.json");
        File.WriteAllText(config, """{ "Paralinguistics": { "VocalEventModel": "rules" } }""");
        var (exit, output, error) = FlowCli.Simulate("--called", "+15550120", "--wav", wav, "--max-seconds", "40", "--config", config);

        Assert.True(exit == 0, error + output);
        Assert.Equal(["welcome", "listen", "mood", "sorry_to_hear", "agent"], Steps(output));
        Assert.Matches(@"(?m)^outcome: transferred at step agent\b", output);
    }

    [Fact]
    public void A_caller_who_only_explains_gets_the_menu()
    {
        var wav = SighsThenSpeech(sighs: 0);

        var (exit, output, error) = FlowCli.Simulate("escalation", "--wav", wav, "--dtmf", "1@16s", "--max-seconds", "40");

        Assert.True(exit == 0, error + output);
        Assert.Equal(["welcome", "listen", "mood", "menu", "route", "balance", "goodbye"], Steps(output));
    }

    [Fact]
    public void Mashed_keys_in_the_billing_menu_escalate_on_frustration()
    {
        var mash = string.Join(' ', Enumerable.Range(0, 12).Select(i => string.Create(CultureInfo.InvariantCulture, $"9@{12 + (0.3 * i):0.0}s")));

        var (exit, output, error) = FlowCli.Simulate("escalation", "--dtmf", mash, "--max-seconds", "60");

        Assert.True(exit == 0, error + output);
        Assert.Contains("handler on_frustration", output, StringComparison.Ordinal);
        Assert.Equal("agent", Steps(output)[^1]);
    }

    [Fact]
    public void Voicemail_records_only_after_consent_and_hands_the_message_to_the_crm()
    {
        var crm = Stub("crm.json", "{}");

        var (exit, output, error) = FlowCli.Simulate("--called", "+15550130", "--dtmf", "1@5s", "--webhook", $"voicemail={crm}");

        Assert.True(exit == 0, error + output);
        Assert.Equal(["greeting", "consent", "decide", "message", "thanks", "goodbye"], Steps(output));
        Assert.Contains("webhook POST http://127.0.0.1:8089/voicemail?caller=%2B15555550123", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Voicemail_without_consent_records_nothing()
    {
        var (exit, output, error) = FlowCli.Simulate("voicemail", "--dtmf", "2@5s");

        Assert.True(exit == 0, error + output);
        Assert.Equal(["greeting", "consent", "decide", "declined", "goodbye"], Steps(output));
        Assert.DoesNotContain("record up to", output, StringComparison.Ordinal);
    }

    private static List<string> Steps(string output) => [.. StepLine().Matches(output).Select(m => m.Groups[2].Value)];

    private static double StepTime(string output, string step, int occurrence = 0) =>
        double.Parse(StepLine().Matches(output).Where(m => m.Groups[2].Value == step).ElementAt(occurrence).Groups[1].Value, CultureInfo.InvariantCulture);

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
        Exec("sox", "-R", raw, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", wav, "pad", leadSeconds.ToString(CultureInfo.InvariantCulture), "1");
        return wav;
    }

    // 4.5 s of silence (the welcome), then sighs as the analysis tests make them (1.2 s of decaying pink noise, 1 s
    // apart), then "I have been charged twice for the same month".
    private string SighsThenSpeech(int sighs)
    {
        var sigh = Path.Combine(_dir, "sigh.wav");
        var lead = Path.Combine(_dir, "lead.wav");
        var raw = Path.Combine(_dir, "raw.wav");
        var speech = Path.Combine(_dir, "speech16.wav");
        var wav = Path.Combine(_dir, $"caller-{sighs}.wav");
        string[] format = ["-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer"];
        Exec("sox", ["-R", "-n", .. format, sigh, "synth", "1.2", "pinknoise", "sinc", "300-3000", "fade", "q", "0.05", "1.2", "1.1", "vol", "0.5", "pad", "0", "1.0"]);
        Exec("sox", ["-R", "-n", .. format, lead, "trim", "0", sighs == 0 ? "9" : "4.5"]);
        Exec("espeak-ng", "-v", "en-us", "-w", raw, "I have been charged twice for the same month");
        Exec("sox", ["-R", raw, .. format, speech]);
        Exec("sox", ["-R", lead, .. Enumerable.Repeat(sigh, sighs), speech, wav, "pad", "0", "1"]);
        return wav;
    }

    private static void Exec(string tool, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), $"{tool} did not finish");
        Assert.True(process.ExitCode == 0, $"{tool} failed: {errors}");
    }

    [GeneratedRegex(@"(?m)^\s*(\d+\.\d+)s  step  (\S+) \(")]
    private static partial Regex StepLine();
}
