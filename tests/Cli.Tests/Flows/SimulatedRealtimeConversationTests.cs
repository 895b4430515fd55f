using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Testing.ModelServers;

namespace StepAudio.Telephony.Cli.Tests.Flows;

/// <summary>
/// <c>converse</c> with a Realtime endpoint through the call engine on the virtual clock: the caller's turn goes to a
/// real WebSocket server on loopback speaking the Realtime event protocol, its µ-law audio is played, its function
/// calls continue the flow, talking over it truncates it to what was heard, and a refused connection runs the fallback.
/// </summary>
public sealed class SimulatedRealtimeConversationTests : IDisposable
{
    private const string Yaml = """
        flow: assistant
        start: talk
        steps:
          talk:
            converse:
              instructions: You are the billing assistant.
              greeting: Hello.
              actions: [goto_step, set_variable, hangup]
              steps: [done]
              max_turns: 4
              fallback: sorry
            next: done
          done:
            say: "Goodbye {{ vars.account }}."
          sorry:
            say: "Sorry, please call again."
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("conv-rt-sim-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_turn_reaches_the_realtime_model_as_mulaw_with_its_state_its_audio_is_played_and_its_action_continues_the_flow()
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnResponse = (s, _) => s.ReplyAsync(TimeSpan.FromSeconds(1.5), "Thank you, I noted account 4711.", default,
            ("set_variable", """{"name":"account","value":"4711"}"""), ("goto_step", """{"step":"done"}"""));
        var log = new RecordingLogger();

        var (result, events, said, trace) = await RunAsync(server, ConversationSimulation.Speech(_dir, ("I would like to pay my bill please.", 2.0)), log);

        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        Assert.Equal("Goodbye 4711.", said[^1]);
        var turn = Assert.Single(events.OfType<ConversationTurn>());
        Assert.Equal(("talk", 1, "audio", "rt0", "replied", "goto_step"), (turn.Step, turn.Turn, turn.Input, turn.Endpoint, turn.Outcome, turn.Action));
        Assert.InRange(turn.HeardSeconds, 1.4, 1.6); // the model's own 1.5 s, played as it came
        Assert.NotNull(turn.FirstReplyPacketSeconds);

        var items = server.Events("conversation.item.create").Select(e => e["item"]!).ToList();
        Assert.Equal(("assistant", "Hello."), ((string?)items[0]["role"], (string?)items[0]["content"]![0]!["text"]));
        var user = items[1]["content"]!.AsArray();
        Assert.Contains("<caller_state turn=\"1\"", (string?)user[0]!["text"], StringComparison.Ordinal);
        Assert.InRange(Convert.FromBase64String((string)user[1]!["audio"]!).Length, 8_000, 8_000 * 5); // µ-law, 8 kHz
        Assert.Equal("audio/pcmu", (string?)Assert.Single(server.Events("session.update"))["session"]!["audio"]!["output"]!["format"]!["type"]);

        // Transcripts are off by default: the model's words reach neither the trace nor the log.
        Assert.DoesNotContain("4711.", trace.Replace("Goodbye 4711.", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("noted account", trace + log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Talking_over_the_reply_cuts_it_and_the_realtime_item_is_truncated_to_what_was_played()
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnResponse = (s, n) => n == 1
            ? s.ReplyAsync(TimeSpan.FromSeconds(20), "This is a very long explanation about your invoice and every line of it.")
            : s.ReplyAsync(TimeSpan.FromSeconds(0.5), "Okay, goodbye.", default, ("hangup", """{"reason":"caller is done"}"""));

        // The first turn ends near 4 s; the 20 s reply then plays; the caller talks over it at 9 s.
        var (result, events, _, _) = await RunAsync(
            server, ConversationSimulation.Speech(_dir, ("What is this charge on my bill?", 2.0), ("Stop, I just want to cancel.", 9.0)), NullLogger.Instance);

        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        var turns = events.OfType<ConversationTurn>().ToList();
        Assert.Equal(("interrupted", "replied", "hangup"), (turns[0].Outcome, turns[1].Outcome, turns[1].Action));
        Assert.InRange(turns[0].HeardSeconds, 1, 8);
        var truncate = Assert.Single(server.Events("conversation.item.truncate"));
        Assert.Equal("item_r1", (string?)truncate["item_id"]);
        Assert.InRange((int)truncate["audio_end_ms"]!, (turns[0].HeardSeconds * 1000) - 50, (turns[0].HeardSeconds * 1000) + 50);
        Assert.Single(server.Handshakes); // one session for the whole conversation
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_realtime_endpoint_that_refuses_the_connection_runs_the_fallback_step(int status)
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnConnect = (context, _) =>
        {
            context.Response.StatusCode = status;
            return Task.FromResult(false);
        };

        var (result, events, said, trace) = await RunAsync(server, ConversationSimulation.Speech(_dir, ("Hello, is anybody there?", 2.0)), NullLogger.Instance);

        Assert.Equal(("sorry", "Sorry, please call again."), (result.LastStep, said[^1]));
        var turn = Assert.Single(events.OfType<ConversationTurn>());
        Assert.Equal(("failed", (string?)null), (turn.Outcome, turn.Endpoint));
        Assert.Contains($"HTTP {status}", trace, StringComparison.Ordinal);
    }

    private static Task<(FlowResult Result, List<Analytics.Contracts.ICallEvent> Events, List<string> Said, string Trace)> RunAsync(
        LoopbackRealtimeServer server, float[] audio, ILogger logger)
    {
        // Real-time bounds (connect, session set-up, first audio) far from what a loopback server needs on a loaded machine.
        var options = new ConversationOptions { FillerAfter = TimeSpan.FromMinutes(1), FirstTokenTimeout = TimeSpan.FromSeconds(30), IdleTimeout = TimeSpan.FromSeconds(30) };
        options.Endpoints.Add(new ConversationEndpointOptions { BaseUrl = server.BaseUrl, Model = "gpt-realtime", Name = "rt0", Api = ConversationApi.Realtime });
        return ConversationSimulation.RunAsync(Yaml, audio, options, logger);
    }
}
