using NJsonSchema;
using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Validation;

/// <summary>config/flows/flow.schema.json and the loader agree on what a valid flow is.</summary>
public sealed class FlowSchemaTests
{
    private const string Head = "flow: x\nstart: a\nsteps:\n  a:\n";

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(RepositoryRoot(), "config", "flows", "flow.schema.json"))).GetAwaiter().GetResult());

    public static TheoryData<string, string> ValidFlows => new()
    {
        { "support", TestFlows.Support },
        { "minimal", TestFlows.Minimal },
        { "scalar forms", Head + "    say: hi\n    next: b\n  b:\n    play: x.wav\n    next: c\n  c:\n    transfer: \"sip:agent@pbx\"\n    next: d\n  d:\n    record: true\n    next: e\n  e:\n    hangup: true\n" },
        { "keys and durations", Head + "    gather: { finish_on_key: 5, timeout: 2, inter_digit_timeout: 1.5, speech_timeout: 750ms, input: speech }\n    next: b\n  b:\n    record: { finish_on_key: null, max_length: 1h }\n" },
        { "templated targets", Head + "    webhook: { url: \"{{ vars.base }}/x\", method: Get, headers: { A: b }, body: { n: 1, m: [1, 2] } }\n    next: b\n  b:\n    transfer: { to: \"{{ vars.agent }}\", mode: refer }\n" },
        { "set and variables", "flow: x\nstart: a\nvariables: { n: 1, name: bob, list: [1, 2] }\nsteps:\n  a:\n    set: { n: \"{{ vars.n + 1 }}\", flag: true }\n" },
        { "converse", Head + "    converse:\n      instructions: \"Help {{ caller }}.\"\n      actions: [goto_step, transfer, hangup]\n      steps: [b]\n      transfer_to: \"sip:agent@pbx\"\n      max_turns: 5\n      max_duration: 2m\n      fallback: b\n    next: b\n  b:\n    say: bye\n" },
        { "pause, url prompt, ssml", Head + "    pause: 1.5s\n    next: b\n  b:\n    play: { file: \"https://cdn.example.com/a.wav\", barge_in: false }\n    next: c\n  c:\n    say: '<speak>Hi <break time=\"1s\"/></speak>'\n" },
        { "record webhook", Head + "    record:\n      as: vm\n      webhook: { url: \"https://crm/vm?c={{ caller }}\", mode: link, headers: { X-Key: k }, timeout: 1m, retries: 0, keep: true }\n" },
        { "early media say", "flow: x\nearly_media: { say: \"Calls are recorded.\", voice: en-us }\nstart: a\nsteps:\n  a: { say: hi }\n" },
        { "early media play", "flow: x\nearly_media:\n  play: busy.wav\nstart: a\nsteps:\n  a: { say: hi }\n" },
        { "handlers", "flow: x\nstart: a\nhandlers:\n  on_frustration: { above: 0, for: 0, goto: a, once: false }\n  on_silence: { after: 1m, goto: a }\n  on_error: { goto: a }\nsteps:\n  a:\n    hangup: { reason: bye }\n" },
    };

    public static TheoryData<string, string> BrokenFlows => new()
    {
        { "missing steps", "flow: x\nstart: a\n" },
        { "unknown top-level key", "flow: x\nstart: a\nowner: me\nsteps:\n  a: { say: hi }\n" },
        { "two verbs", Head + "    say: hi\n    play: x.wav\n" },
        { "no verb", Head + "    next: a\n" },
        { "unknown gather field", Head + "    gather: { max_digit: 3 }\n" },
        { "retries out of range", Head + "    gather: { retries: 11 }\n" },
        { "bad duration", Head + "    gather: { timeout: soon }\n" },
        { "duration as quoted number", Head + "    gather: { timeout: \"5\" }\n" },
        { "frustration above 1", "flow: x\nstart: a\nhandlers:\n  on_frustration: { above: 1.5, goto: a }\nsteps:\n  a: { say: hi }\n" },
        { "bad step name", "flow: x\nstart: a\nsteps:\n  a: { say: hi }\n  \"b c\": { say: hi }\n" },
        { "ftp webhook", Head + "    webhook: { url: \"ftp://example.com\" }\n" },
        { "transfer to a bare user", Head + "    transfer: { to: agent@pbx }\n" },
        { "gather say and play", Head + "    gather: { say: hi, play: x.wav }\n" },
        { "hangup with next", Head + "    hangup: true\n    next: a\n" },
        { "bad finish key", Head + "    gather: { finish_on_key: x }\n" },
        { "bad transfer mode", Head + "    transfer: { to: \"sip:a@b\", mode: blind }\n" },
        { "branch case without goto", Head + "    branch:\n      - if: digits == \"1\"\n" },
        { "loop 0", Head + "    say: { text: hi, loop: 0 }\n" },
        { "method PUT", Head + "    webhook: { url: \"https://x\", method: PUT }\n" },
        { "record false", Head + "    record: false\n" },
        { "input fax", Head + "    gather: { input: [fax] }\n" },
        { "converse without instructions", Head + "    converse: { goal: help }\n" },
        { "converse with an unknown action", Head + "    converse: { instructions: x, actions: [reboot] }\n" },
        { "pause with a field", Head + "    pause: { for: 2s }\n" },
        { "record webhook without url", Head + "    record: { webhook: { mode: upload } }\n" },
        { "record webhook mode stream", Head + "    record: { webhook: { url: \"https://x\", mode: stream } }\n" },
        { "early media say and play", "flow: x\nearly_media: { say: hi, play: a.wav }\nstart: a\nsteps:\n  a: { say: hi }\n" },
        { "early media empty", "flow: x\nearly_media: {}\nstart: a\nsteps:\n  a: { say: hi }\n" },
        { "early media true", "flow: x\nearly_media: true\nstart: a\nsteps:\n  a: { say: hi }\n" },
        { "early media play with voice", "flow: x\nearly_media: { play: a.wav, voice: en-us }\nstart: a\nsteps:\n  a: { say: hi }\n" },
        { "flow name is a number", "flow: 42\nstart: a\nsteps:\n  a: { say: hi }\n" },
    };

    [Theory]
    [MemberData(nameof(ValidFlows))]
    public void Valid_flows_pass_the_schema_and_the_loader(string name, string yaml)
    {
        var loaded = FlowLoader.LoadText(yaml, $"{name}.yaml");
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        var schemaErrors = Schema.Value.Validate(YamlToJson.Convert(yaml));
        Assert.True(schemaErrors.Count == 0, string.Join("\n", schemaErrors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [MemberData(nameof(BrokenFlows))]
    public void Broken_flows_fail_the_schema_and_the_loader(string name, string yaml)
    {
        Assert.False(FlowLoader.LoadText(yaml, $"{name}.yaml").IsValid);
        Assert.NotEmpty(Schema.Value.Validate(YamlToJson.Convert(yaml)));
    }

    [Fact]
    public void Every_flow_in_config_flows_passes_the_schema_and_the_loader()
    {
        var directory = Path.Combine(RepositoryRoot(), "config", "flows");
        foreach (var file in Directory.GetFiles(directory, "*.yaml").Where(f => Path.GetFileName(f) != "routes.yaml"))
        {
            var loaded = FlowLoader.LoadFile(file);
            Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
            var schemaErrors = Schema.Value.Validate(YamlToJson.Convert(File.ReadAllText(file)));
            Assert.True(schemaErrors.Count == 0, $"{file}: " + string.Join("\n", schemaErrors.Select(e => $"{e.Path}: {e.Kind}")));
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (Directory.Packages.props) not found above " + AppContext.BaseDirectory);
    }
}
