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
    private readonly SpokenCallWorkspace _workspace = new("rt");

    public void Dispose() => _workspace.Dispose();

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
        await _workspace.WriteFlowAsync("assistant", SpokenCallWorkspace.AssistantFlow);
        var environment = new Dictionary<string, string>
        {
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

        return await _workspace.CallAsync(environment);
    }
}
