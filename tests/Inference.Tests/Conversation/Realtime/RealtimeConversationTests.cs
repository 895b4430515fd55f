using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Conversation.CallerState;
using StepAudio.Telephony.Inference.Conversation.Realtime;
using StepAudio.Telephony.Testing.ModelServers;

namespace StepAudio.Telephony.Inference.Tests.Conversation.Realtime;

/// <summary>
/// The Realtime backend against a real WebSocket server on loopback that speaks the Realtime event protocol as the
/// API reference documents it: the session it sets up, what a turn sends, barge-in (cancel and truncation), function
/// calls, and the bad inputs (refused upgrade, dropped socket, malformed event, server error, unknown tool, a
/// response that never ends, a server that never answers).
/// </summary>
public sealed class RealtimeConversationTests
{
    private static readonly ConversationActionKind[] Allowed = [ConversationActionKind.Hangup, ConversationActionKind.SetVariable];

    private static CallerTurnContext Context(int turn) => new(turn, TimeSpan.FromSeconds(1), "neutral", 0.5, 0, 0, [], 0.1, 0.1, "calm", [], [], false, 0, string.Empty, null);

    /// <summary>One second of caller audio at 16 kHz (a quiet tone).</summary>
    private static ModelTurnInput Turn(int number) =>
        new(Enumerable.Range(0, 16_000).Select(i => 0.1f * MathF.Sin(2 * MathF.PI * 300 * i / 16_000)).ToArray(), null, Context(number));

    private static ConversationOptions Options(Action<ConversationOptions>? configure = null, params Uri[] realtime)
    {
        var options = new ConversationOptions { FirstTokenTimeout = TimeSpan.FromSeconds(20), IdleTimeout = TimeSpan.FromSeconds(20), MaxReplyDuration = TimeSpan.FromSeconds(60) };
        configure?.Invoke(options);
        for (var i = 0; i < realtime.Length; i++)
        {
            options.Endpoints.Add(new ConversationEndpointOptions { BaseUrl = realtime[i], Model = "gpt-realtime", ApiKey = "sk-rt-" + i, Name = "rt" + i, Api = ConversationApi.Realtime, Voice = "marin" });
        }

        return options;
    }

    private static ConversationModelClient Client(ConversationOptions options) => ConversationModelClient.Create(options, TimeProvider.System, NullLogger.Instance);

    private static ConversationSession Session(RealtimeConversation realtime) =>
        new("You are the billing assistant.", Allowed, ["billing"]) { Realtime = realtime };

    private static async Task<List<ReplyPart>> CollectAsync(ConversationModelClient client, ConversationRequest request)
    {
        var parts = new List<ReplyPart>();
        await foreach (var part in client.StreamAsync(request, CancellationToken.None))
        {
            parts.Add(part);
        }

        return parts;
    }

    /// <summary>
    /// The reply fails as the chat backend's does: broken once audio was given out (paced audio makes that the usual
    /// case), unavailable if the fault came before the first piece was read (a loaded machine can read them together).
    /// </summary>
    private static async Task<Exception> FailsAsync(Func<Task> reply)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(reply);
        Assert.True(failure is ConversationStreamBrokenException or ConversationUnavailableException, failure.ToString());
        return failure;
    }

    [Fact]
    public async Task The_session_is_mulaw_both_ways_without_server_turn_detection_and_a_turn_goes_as_its_state_and_audio()
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnResponse = (s, _) => s.ReplyAsync(TimeSpan.FromSeconds(1), "Your bill is paid.", default, ("set_variable", """{"name":"account","value":"4711"}"""), ("hangup", """{"reason":"done"}"""));
        using var client = Client(Options(null, server.BaseUrl));
        await using var realtime = new RealtimeConversation();
        var session = Session(realtime);
        session.AddSpoken("Hello.");

        var parts = await CollectAsync(client, session.Request(Turn(1)));

        var audio = parts.Where(p => p.Kind == ReplyPartKind.Audio).ToList();
        Assert.All(audio, p => Assert.Equal(RealtimeAudio.MediaType, p.Text));
        Assert.Equal(8000, audio.Sum(p => p.Audio.Length)); // 1 s of µ-law at 8 kHz, nothing lost or added
        Assert.Equal("Your bill is paid.", string.Concat(audio.Select(p => p.Words)).Trim());
        var actions = parts.Where(p => p.Kind == ReplyPartKind.Action).Select(p => p.Action!).ToList();
        Assert.Equal([(ConversationActionKind.SetVariable, "account", "4711"), (ConversationActionKind.Hangup, (string?)null, "done")], actions.Select(a => (a.Kind, a.Target, a.Value)));

        Assert.Equal(("?model=gpt-realtime", "Bearer sk-rt-0"), Assert.Single(server.Handshakes));
        var update = Assert.Single(server.Events("session.update"))["session"]!;
        Assert.Equal("realtime", (string?)update["type"]);
        Assert.Equal("audio/pcmu", (string?)update["audio"]!["input"]!["format"]!["type"]);
        Assert.Equal("audio/pcmu", (string?)update["audio"]!["output"]!["format"]!["type"]);
        Assert.Equal("marin", (string?)update["audio"]!["output"]!["voice"]);
        Assert.True(update["audio"]!["input"]!.AsObject().TryGetPropertyValue("turn_detection", out var detection) && detection is null);
        Assert.Equal(["audio"], update["output_modalities"]!.AsArray().Select(m => (string?)m));
        Assert.Equal(["hangup", "set_variable"], update["tools"]!.AsArray().Select(t => (string?)t!["name"]));
        Assert.StartsWith("You are the billing assistant.", (string?)update["instructions"], StringComparison.Ordinal);

        var items = server.Events("conversation.item.create");
        Assert.Equal(2, items.Count);
        Assert.Equal(("assistant", "output_text", "Hello."), ((string?)items[0]["item"]!["role"], (string?)items[0]["item"]!["content"]![0]!["type"], (string?)items[0]["item"]!["content"]![0]!["text"]));
        var turn = items[1]["item"]!["content"]!.AsArray();
        Assert.Equal(["input_text", "input_audio"], turn.Select(c => (string?)c!["type"]));
        Assert.Contains("<caller_state turn=\"1\"", (string?)turn[0]!["text"], StringComparison.Ordinal);
        Assert.Equal(8000, Convert.FromBase64String((string)turn[1]!["audio"]!).Length); // 1 s at 16 kHz becomes 1 s of µ-law
        Assert.Single(server.Events("response.create"));
    }

    [Fact]
    public async Task An_interrupted_reply_is_cancelled_at_once_then_cut_to_what_was_heard_and_the_calls_get_their_results_on_the_same_socket()
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnResponse = (s, n) => n == 1
            ? s.ReplyAsync(TimeSpan.FromSeconds(20), "A very long explanation of your invoice.", TimeSpan.FromMilliseconds(20), ("set_variable", """{"name":"topic","value":"invoice"}"""))
            : s.ReplyAsync(TimeSpan.FromSeconds(0.5), "Okay.", default, ("hangup", """{"reason":"done"}"""));
        using var client = Client(Options(null, server.BaseUrl));
        await using var realtime = new RealtimeConversation();
        var session = Session(realtime);

        // The listener stops after the first audio, as the playback does when the caller barges in.
        var first = new List<ReplyPart>();
        await foreach (var part in client.StreamAsync(session.Request(Turn(1)), CancellationToken.None))
        {
            first.Add(part);
            if (part.Kind == ReplyPartKind.Audio)
            {
                break;
            }
        }

        await Eventually.TrueAsync(() => server.Events("response.cancel").Count == 1, TimeSpan.FromSeconds(20));
        session.Commit(Turn(1), "A very", interrupted: true, [], heardAudio: TimeSpan.FromMilliseconds(1234));
        var second = await CollectAsync(client, session.Request(Turn(2)));

        Assert.Contains(second, p => p.Kind == ReplyPartKind.Action && p.Action!.Kind == ConversationActionKind.Hangup);
        Assert.Equal(4000, second.Where(p => p.Kind == ReplyPartKind.Audio).Sum(p => p.Audio.Length)); // 0.5 s: none of the cancelled reply's audio leaked in
        Assert.Single(server.Handshakes); // the session was kept
        var truncate = Assert.Single(server.Events("conversation.item.truncate"));
        Assert.Equal(("item_r1", 0, 1234), ((string?)truncate["item_id"], (int)truncate["content_index"]!, (int)truncate["audio_end_ms"]!));
        var order = server.Received.Select(r => (string?)r.Event["type"]).ToList();
        Assert.True(order.IndexOf("conversation.item.truncate") < order.LastIndexOf("conversation.item.create"), string.Join(", ", order));
    }

    [Fact]
    public async Task An_error_about_a_cancel_the_server_no_longer_needed_does_not_fail_the_next_turn_but_an_error_about_the_turn_does()
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnResponse = async (s, n) =>
        {
            if (n == 1)
            {
                await s.ReplyAsync(TimeSpan.FromSeconds(20), "A long answer.", TimeSpan.FromMilliseconds(20));
                return;
            }

            // The documented error for a response.cancel with no response in progress names the cancel's event id.
            var cancel = (string?)server.Events("response.cancel")[^1]["event_id"];
            await s.SendAsync(new { type = "error", error = new { type = "invalid_request_error", code = "response_cancel_not_active", message = "no active response", event_id = cancel } });
            if (n == 2)
            {
                await s.ReplyAsync(TimeSpan.FromSeconds(0.3), "Yes?");
                return;
            }

            var create = (string?)server.Events("response.create")[^1]["event_id"];
            await s.SendAsync(new { type = "error", error = new { type = "invalid_request_error", code = "invalid_value", message = "bad", event_id = create } });
        };
        using var client = Client(Options(null, server.BaseUrl));
        await using var realtime = new RealtimeConversation();
        var session = Session(realtime);
        await foreach (var part in client.StreamAsync(session.Request(Turn(1)), CancellationToken.None))
        {
            if (part.Kind == ReplyPartKind.Audio)
            {
                break;
            }
        }

        await Eventually.TrueAsync(() => server.Events("response.cancel").Count == 1, TimeSpan.FromSeconds(20));
        session.Commit(Turn(1), string.Empty, interrupted: true, [], TimeSpan.FromMilliseconds(100));
        var second = await CollectAsync(client, session.Request(Turn(2)));
        session.Commit(Turn(2), "Yes?", interrupted: false, []);
        var third = await Assert.ThrowsAsync<ConversationUnavailableException>(() => CollectAsync(client, session.Request(Turn(3))));

        Assert.Equal(2400, second.Where(p => p.Kind == ReplyPartKind.Audio).Sum(p => p.Audio.Length));
        Assert.Contains("invalid_request_error, invalid_value", third.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Function_calls_get_done_or_the_refusal_as_their_output_before_the_next_turn_and_an_unknown_tool_is_refused()
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnResponse = (s, n) => n == 1
            ? s.ReplyAsync(TimeSpan.FromSeconds(0.3), "Let me see.", default, ("set_variable", """{"name":"account","value":"9"}"""), ("wipe_database", "{}"))
            : s.ReplyAsync(TimeSpan.FromSeconds(0.3), "Done.");
        using var client = Client(Options(null, server.BaseUrl));
        await using var realtime = new RealtimeConversation();
        var session = Session(realtime);

        var first = await CollectAsync(client, session.Request(Turn(1)));
        var calls = first.Where(p => p.ToolCall is not null).ToList();
        session.Commit(Turn(1), "Let me see.", interrupted: false, calls, TimeSpan.FromSeconds(0.3));
        await CollectAsync(client, session.Request(Turn(2)));

        Assert.Equal([ReplyPartKind.Action, ReplyPartKind.RejectedToolCall], calls.Select(p => p.Kind));
        var outputs = server.Events("conversation.item.create").Select(e => e["item"]!).Where(i => (string?)i["type"] == "function_call_output").ToList();
        Assert.Equal(2, outputs.Count);
        Assert.Equal("done", (string?)outputs[0]["output"]);
        Assert.StartsWith("error: ", (string?)outputs[1]["output"], StringComparison.Ordinal);
        Assert.Empty(server.Events("conversation.item.truncate")); // heard in full: nothing to cut
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_refused_upgrade_fails_over_to_the_next_endpoint_and_alone_reports_the_status(int status)
    {
        await using var refusing = await LoopbackRealtimeServer.StartAsync();
        refusing.OnConnect = async (context, _) =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync("{\"error\":{\"message\":\"caller said 4929\"}}");
            return false;
        };
        await using var good = await LoopbackRealtimeServer.StartAsync();
        using var both = Client(Options(null, refusing.BaseUrl, good.BaseUrl));
        await using var realtime = new RealtimeConversation();

        var parts = await CollectAsync(both, Session(realtime).Request(Turn(1)));

        Assert.All(parts, p => Assert.Equal("rt1", p.Endpoint));
        Assert.Contains(parts, p => p.Kind == ReplyPartKind.Audio);

        using var alone = Client(Options(null, refusing.BaseUrl));
        await using var second = new RealtimeConversation();
        var failure = await Assert.ThrowsAsync<ConversationUnavailableException>(() => CollectAsync(alone, Session(second).Request(Turn(1))));
        Assert.Contains($"HTTP {status}", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("4929", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_socket_dropped_mid_reply_breaks_it_and_the_next_turn_opens_a_new_session_given_the_conversation_so_far()
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnResponse = async (s, n) =>
        {
            if (n == 1)
            {
                await s.CreatedAsync();
                await s.AudioAsync(TimeSpan.FromSeconds(1), "Your bill", TimeSpan.FromMilliseconds(20));
                s.Abort();
                return;
            }

            await s.ReplyAsync(TimeSpan.FromSeconds(0.2), "Hello again.");
        };
        using var client = Client(Options(null, server.BaseUrl));
        await using var realtime = new RealtimeConversation();
        var session = Session(realtime);
        session.AddSpoken("Hello.");

        var broken = await FailsAsync(() => CollectAsync(client, session.Request(Turn(1))));
        Assert.Contains("closed before the response was done", broken.Message, StringComparison.Ordinal);
        session.Commit(Turn(1), "Your bill", interrupted: false, []);
        var parts = await CollectAsync(client, session.Request(Turn(2)));

        Assert.Contains(parts, p => p.Kind == ReplyPartKind.Audio);
        Assert.Equal(2, server.Handshakes.Count);
        var replayed = server.Received.Where(r => r.Connection == 2 && (string?)r.Event["type"] == "conversation.item.create")
            .Select(r => ((string?)r.Event["item"]!["role"], string.Join('|', r.Event["item"]!["content"]!.AsArray().Select(c => (string?)c!["type"])))).ToList();
        Assert.Equal([("assistant", "output_text"), ("user", "input_text"), ("assistant", "output_text"), ("user", "input_text|input_audio")], replayed);
    }

    [Theory]
    [InlineData("not json at all {")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"no_type\":true}")]
    public async Task A_malformed_event_mid_reply_breaks_it_with_a_message_of_our_own(string malformed)
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnResponse = async (s, _) =>
        {
            await s.CreatedAsync();
            await s.AudioAsync(TimeSpan.FromSeconds(1), "Hello", TimeSpan.FromMilliseconds(20));
            await s.SendRawAsync(malformed);
            await s.DoneAsync("completed");
        };
        using var client = Client(Options(null, server.BaseUrl));
        await using var realtime = new RealtimeConversation();

        var broken = await FailsAsync(() => CollectAsync(client, Session(realtime).Request(Turn(1))));

        Assert.Contains("not a JSON object with a type", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_before_any_audio_fails_the_attempt_without_the_servers_text()
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnResponse = (s, _) => s.SendAsync(new { type = "error", error = new { type = "server_error", code = "overloaded", message = "the caller said 4929 1234" } });
        using var client = Client(Options(null, server.BaseUrl));
        await using var realtime = new RealtimeConversation();

        var failure = await Assert.ThrowsAsync<ConversationUnavailableException>(() => CollectAsync(client, Session(realtime).Request(Turn(1))));

        Assert.Contains("server_error, overloaded", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("4929", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_that_streams_forever_is_cut_at_the_reply_bound_and_cancelled_on_the_server()
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnResponse = async (s, _) =>
        {
            await s.CreatedAsync();
            await s.AudioAsync(TimeSpan.FromHours(1), "and so on", TimeSpan.FromMilliseconds(20));
        };
        using var client = Client(Options(o => o.MaxReplyDuration = TimeSpan.FromSeconds(1), server.BaseUrl));
        await using var realtime = new RealtimeConversation();

        var broken = await Assert.ThrowsAsync<ConversationStreamBrokenException>(() => CollectAsync(client, Session(realtime).Request(Turn(1))));

        Assert.Contains("reply longer than 1 s", broken.Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => server.Events("response.cancel").Count == 1, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_server_that_never_answers_the_response_times_out_before_the_first_audio()
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        server.OnResponse = (s, _) => Task.Delay(Timeout.InfiniteTimeSpan, s.Token);
        // The bound runs on a clock only the test moves: the first turn times out once the server holds its request,
        // and the second turn's new socket and reply never race a loaded machine against 3 s.
        var time = new ManualTimeProvider();
        using var client = ConversationModelClient.Create(Options(o => o.FirstTokenTimeout = TimeSpan.FromSeconds(3), server.BaseUrl), time, NullLogger.Instance);
        await using var realtime = new RealtimeConversation();

        var first = CollectAsync(client, Session(realtime).Request(Turn(1)));
        await Eventually.TrueAsync(() => server.Events("response.create").Count == 1, TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(3));
        var failure = await Assert.ThrowsAsync<ConversationUnavailableException>(() => first);

        Assert.Contains("no first token within 3 s", failure.Message, StringComparison.Ordinal);

        // The next turn does not wait on that socket (the server may still answer the old request): it opens a new one.
        server.OnResponse = (s, _) => s.ReplyAsync(TimeSpan.FromSeconds(0.2), "Sorry for the wait.");
        var parts = await CollectAsync(client, Session(realtime).Request(Turn(2)));
        Assert.Equal(1600, parts.Where(p => p.Kind == ReplyPartKind.Audio).Sum(p => p.Audio.Length));
        Assert.True(server.Handshakes.Count == 2, string.Join("\n", server.Received.Select(r => $"{r.Connection} {r.Event["type"]}")));
    }

    [Fact]
    public async Task Without_the_conversations_sessions_a_realtime_endpoint_is_skipped_not_called()
    {
        await using var server = await LoopbackRealtimeServer.StartAsync();
        using var client = Client(Options(null, server.BaseUrl));
        var plain = new ConversationSession("Be brief.", Allowed, ["billing"]);

        var failure = await Assert.ThrowsAsync<ConversationUnavailableException>(() => CollectAsync(client, plain.Request(Turn(1))));

        Assert.Contains("skipped", failure.Message, StringComparison.Ordinal);
        Assert.Empty(server.Handshakes);
    }
}
