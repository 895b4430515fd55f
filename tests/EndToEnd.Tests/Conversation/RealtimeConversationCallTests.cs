using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;
using StepAudio.Telephony.Testing.ModelServers;

namespace StepAudio.Telephony.EndToEnd.Tests.Conversation;

/// <summary>
/// A real call (sipp plays recorded speech over RTP) into the real gateway, whose flow hands the call to a Realtime
/// endpoint: a real WebSocket server on loopback that speaks the OpenAI Realtime event protocol.
/// </summary>
public sealed class RealtimeConversationCallTests : IDisposable
{
    private const string Flow = """
        flow: assistant
        start: talk
        steps:
          talk:
            converse:
              instructions: You are the test line's assistant.
              actions: [hangup]
              max_turns: 3
              fallback: sorry
          sorry:
            say: Sorry.
        """;

    private readonly string _flows = Directory.CreateTempSubdirectory("stepaudio-rt-flows-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-rt-e2e-").FullName;

    public void Dispose()
    {
        Directory.Delete(_flows, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task The_caller_is_heard_by_the_realtime_model_its_mulaw_reply_is_played_and_its_function_call_hangs_up()
    {
        await using var model = await LoopbackRealtimeServer.StartAsync();
        model.OnResponse = (session, _) => session.ReplyAsync(TimeSpan.FromSeconds(1.5), "Thanks for calling the test line. Goodbye.", default, ("hangup", """{"reason":"done"}"""));

        // A loaded machine must not turn a prompt reply into a filler: the filler bound is far above the reply's delay.
        var (call, output) = await CallAsync(model, ("Conversation__FillerAfter", "00:00:10"));

        var turn = Assert.Single(call.OfType<ConversationTurn>());
        Assert.Equal(("talk", "audio", "realtime", "replied", "hangup"), (turn.Step, turn.Input, turn.Endpoint, turn.Outcome, turn.Action));
        Assert.NotNull(turn.FirstReplyPacketSeconds);
        Assert.False(turn.FillerPlayed);
        Assert.InRange(turn.HeardSeconds, 1.4, 1.6); // the model's own audio, played in full
        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal(("gateway", "completed"), (ended.HungUpBy, ended.Outcome));

        Assert.Equal(("?model=gpt-realtime", "Bearer sk-e2e-realtime-key"), Assert.Single(model.Handshakes));
        var update = Assert.Single(model.Events("session.update"))["session"]!;
        Assert.Equal("audio/pcmu", (string?)update["audio"]!["input"]!["format"]!["type"]);
        var user = model.Events("conversation.item.create").Select(e => e["item"]!).Last(i => (string?)i["role"] == "user")["content"]!.AsArray();
        Assert.Contains("<caller_state turn=\"1\"", (string?)user[0]!["text"], StringComparison.Ordinal);
        Assert.True(Convert.FromBase64String((string)user[1]!["audio"]!).Length >= 8_000, "at least a second of the caller's speech as µ-law");

        // No key and no words in the log: transcripts are off by default.
        Assert.DoesNotContain("sk-e2e-realtime-key", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Thanks for calling", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_realtime_model_slower_than_the_filler_bound_gets_the_filler_played_first_then_its_own_reply()
    {
        await using var model = await LoopbackRealtimeServer.StartAsync();
        model.OnResponse = async (session, _) =>
        {
            // Longer than Conversation:FillerAfter (1.5 s, the default), far shorter than FirstTokenTimeout (30 s in
            // CallAsync: with the default 4 s a loaded machine's own delays made the endpoint time out).
            await Task.Delay(TimeSpan.FromSeconds(2.5), session.Token);
            await session.ReplyAsync(TimeSpan.FromSeconds(1), "Sorry for the wait. Goodbye.", default, ("hangup", """{"reason":"done"}"""));
        };

        var (call, _) = await CallAsync(model);

        var turn = Assert.Single(call.OfType<ConversationTurn>());
        Assert.Equal(("realtime", "replied", "hangup", true), (turn.Endpoint, turn.Outcome, turn.Action, turn.FillerPlayed));
        Assert.True(turn.FirstTokenSeconds > turn.FirstReplyPacketSeconds, turn.ToString()); // the filler was the first audio
        Assert.Equal(("gateway", "completed"), (Assert.IsType<CallEnded>(call[^1]).HungUpBy, Assert.IsType<CallEnded>(call[^1]).Outcome));
    }

    /// <summary>One sipp call saying one sentence into the flow, with the Realtime server as its only endpoint; the call's events and the gateway's log.</summary>
    private async Task<(IReadOnlyList<Analytics.Contracts.ICallEvent> Call, string Output)> CallAsync(
        LoopbackRealtimeServer model, params (string Key, string Value)[] settings)
    {
        await File.WriteAllTextAsync(Path.Combine(_flows, "assistant.yaml"), Flow);
        var made = await ExternalTool.RunAsync(
            "bash", [Path.Combine(RepositoryPaths.Scripts, "make-speech.sh"), _work, "I would like to pay my bill please"], null, TimeSpan.FromSeconds(60));
        Assert.True(made.ExitCode == 0, made.Describe());
        File.Copy(Path.Combine(RepositoryPaths.SippScenarios, "uac_converse.xml"), Path.Combine(_work, "uac_converse.xml"));
        await using var events = await EventCollector.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["CallFlow__Enabled"] = "true",
            ["CallFlow__Directory"] = _flows,
            ["Conversation__Endpoints__0__BaseUrl"] = model.BaseUrl.ToString(),
            ["Conversation__Endpoints__0__Model"] = "gpt-realtime",
            ["Conversation__Endpoints__0__ApiKey"] = "sk-e2e-realtime-key",
            ["Conversation__Endpoints__0__Name"] = "realtime",
            ["Conversation__Endpoints__0__Api"] = "Realtime",
        };
        // Real-time bounds these tests are not about (Inference.Tests are): the connect, the session set-up and the
        // reply on a loaded machine must not reach the 4 s first-token or 5 s idle defaults.
        environment["Conversation__FirstTokenTimeout"] = "00:00:30";
        environment["Conversation__IdleTimeout"] = "00:00:30";
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        await using var gateway = await GatewayProcess.StartAsync(environment);

        var caller = await Sipp.CallAsync(gateway.SipPort, Path.Combine(_work, "uac_converse.xml"), _work);

        Assert.True(caller.ExitCode == 0, "caller: " + caller.Describe() + "\n--- gateway ---\n" + gateway.Output);
        var call = (await events.WaitForEndedCallsAsync(gateway.SipPort, 1, TimeSpan.FromSeconds(30))).Single();
        return (call, gateway.Output);
    }
}
