using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Flows.Webhooks;
using StepAudio.Telephony.CallFlow.Tests.Flows.Webhooks;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

/// <summary>
/// <c>pause</c>, and voicemail: a <c>record</c> step hands the message to a webhook (the real HTTP client against a
/// loopback server), as an upload or as a link.
/// </summary>
public sealed class FlowRunnerRecordingTests : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("stepaudio-vm-").FullName;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static FlowDefinition Load(string yaml)
    {
        var loaded = FlowLoader.LoadText(yaml, "voicemail.yaml");
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        return loaded.Flow!;
    }

    private static string Voicemail(string webhook) => $$$"""
        flow: voicemail
        start: take
        handlers:
          on_error: { goto: sorry }
        steps:
          take:
            record:
              as: msg
              webhook: {{{webhook}}}
            next: thanks
          thanks:
            say: "Got {{ vars.msg.seconds }} seconds."
          sorry:
            say: "Sorry."
        """;

    private string Message()
    {
        var path = Path.Combine(_dir, "call-1.wav");
        File.WriteAllBytes(path, [.. "RIFF"u8, .. Enumerable.Range(0, 3000).Select(i => (byte)(i % 251))]);
        return path;
    }

    private static HttpWebhookClient Client() => new(new HttpClient(), new WebhookOptions(), TimeProvider.System);

    [Fact]
    public async Task Pause_keeps_the_caller_in_silence_for_its_length()
    {
        using var channel = new FakeCallChannel();
        var flow = Load("flow: p\nstart: a\nsteps:\n  a:\n    pause: 2500ms\n    next: b\n  b:\n    say: hi\n");

        var (result, trace) = await RunnerFlows.RunAsync(flow, channel);

        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        Assert.Equal([TimeSpan.FromMilliseconds(2500)], channel.Pauses);
        Assert.Contains(trace, t => t.Kind == "pause" && t.Detail == "2.5s");
        Assert.Equal("hi", Assert.Single(channel.Said).Text);
    }

    [Fact]
    public async Task The_message_is_uploaded_as_multipart_and_then_removed_from_the_gateway()
    {
        var message = Message();
        var audio = await File.ReadAllBytesAsync(message);
        using var channel = new FakeCallChannel { RecordingFile = message };
        using var client = Client();

        var (result, _) = await RunnerFlows.RunAsync(Load(Voicemail($"{{ url: \"{_server.Url}\", headers: {{ X-Api-Key: secret }} }}")), channel, client);

        Assert.Equal((FlowOutcome.Completed, "thanks"), (result.Outcome, result.LastStep));
        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "secret"), (request.Method, request.Headers["X-Api-Key"]));
        Assert.StartsWith("multipart/form-data; boundary=", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Contains("name=metadata", request.Body, StringComparison.Ordinal);
        Assert.Contains("name=audio; filename=call-1.wav", request.Body, StringComparison.Ordinal);
        Assert.Contains("\"ended_by\":\"silence\"", request.Body, StringComparison.Ordinal);
        Assert.Contains("15550001", request.Body, StringComparison.Ordinal); // the call, as in every webhook body
        Assert.True(request.Bytes.AsSpan().IndexOf(audio) >= 0, "the audio part holds the recorded file byte for byte");
        Assert.False(File.Exists(message), "a delivered message does not stay on the gateway unless keep: true");
        Assert.Equal("Got 3 seconds.", channel.Said[0].Text);
    }

    [Fact]
    public async Task Keep_leaves_the_file_and_a_failed_upload_never_deletes_it()
    {
        var message = Message();
        using var channel = new FakeCallChannel { RecordingFile = message };
        using var client = Client();
        await RunnerFlows.RunAsync(Load(Voicemail($"{{ url: \"{_server.Url}\", keep: true }}")), channel, client);
        Assert.True(File.Exists(message));

        _server.Respond = _ => (500, "{}", TimeSpan.Zero);
        using var failing = new FakeCallChannel { RecordingFile = message };
        var (result, _) = await RunnerFlows.RunAsync(Load(Voicemail($"{{ url: \"{_server.Url}\", retries: 0 }}")), failing, client);

        Assert.Equal("sorry", result.LastStep);
        Assert.True(File.Exists(message), "a message the backend did not take is kept");
    }

    [Fact]
    public async Task A_link_points_into_the_served_recording_directory()
    {
        var message = Message();
        using var channel = new FakeCallChannel { RecordingFile = message };
        using var client = Client();
        var options = new FlowRunnerOptions { RecordingBaseUrl = new Uri("https://files.example.com/vm") };

        var (result, _) = await RunnerFlows.RunAsync(Load(Voicemail($"{{ url: \"{_server.Url}\", mode: link }}")), channel, client, options);

        Assert.Equal("thanks", result.LastStep);
        var request = Assert.Single(_server.Requests);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("https://files.example.com/vm/call-1.wav", (string?)body["recording"]!["url"]);
        Assert.True(File.Exists(message), "a link needs the file to stay");
    }

    [Fact]
    public async Task A_link_without_a_served_directory_is_an_error_that_names_the_setting()
    {
        using var channel = new FakeCallChannel { RecordingFile = Message() };

        var (result, trace) = await RunnerFlows.RunAsync(Load(Voicemail("{ url: \"https://crm.example.com/vm\", mode: link }")), channel);

        Assert.Equal("sorry", result.LastStep);
        Assert.Contains(trace, t => t.Detail.Contains("Recording:BaseUrl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Values_put_into_ssml_are_escaped_so_caller_data_cannot_open_a_tag()
    {
        using var channel = new FakeCallChannel();
        var flow = Load("flow: s\nstart: a\nvariables: { name: \"<break time='9s'/>Tom & Jerry\" }\nsteps:\n  a:\n    say: \"<speak>Hello {{ vars.name }}</speak>\"\n");

        await RunnerFlows.RunAsync(flow, channel);

        Assert.Equal("<speak>Hello &lt;break time=&apos;9s&apos;/&gt;Tom &amp; Jerry</speak>", Assert.Single(channel.Said).Text);
    }
}
