using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Tests.TestSupport;
using StepAudio.Telephony.Testing.ModelServers;

namespace StepAudio.Telephony.Inference.Tests.Conversation;

/// <summary>The model client against real HTTP servers on loopback that speak the OpenAI chat-completions stream.</summary>
public sealed class ConversationModelClientTests
{
    private static readonly byte[] Wav = [.. "RIFF"u8, 1, 2, 3, 4];

    private static ConversationOptions Options(params LoopbackModelServer[] servers)
    {
        var options = new ConversationOptions
        {
            FirstTokenTimeout = TimeSpan.FromSeconds(20),
            IdleTimeout = TimeSpan.FromSeconds(20),
            MaxReplyDuration = TimeSpan.FromSeconds(60),
        };
        for (var i = 0; i < servers.Length; i++)
        {
            options.Endpoints.Add(new ConversationEndpointOptions { BaseUrl = servers[i].BaseUrl, Model = "step-audio-r1.1", ApiKey = "sk-test-" + i, Name = "ep" + i });
        }

        return options;
    }

    private static ConversationRequest Request(params ConversationActionKind[] allowed) => new(
        endpoint => endpoint.Input == ConversationInputMode.Audio
            ? [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, [new TextContent("[caller sounds calm]"), new DataContent(Wav, "audio/wav")])]
            : null,
        new ChatOptions { Tools = ConversationTools.Declare(allowed, ["billing"]) },
        allowed,
        ["billing"]);

    private static async Task<List<ReplyPart>> CollectAsync(ConversationModelClient client, ConversationRequest request, CancellationToken token = default)
    {
        var parts = new List<ReplyPart>();
        await foreach (var part in client.StreamAsync(request, token))
        {
            parts.Add(part);
        }

        return parts;
    }

    private static ConversationModelClient Client(ConversationOptions options) => ConversationModelClient.Create(options, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task Audio_goes_out_as_input_audio_wav_and_the_reply_comes_back_in_sentences_without_the_thinking()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, _) => LoopbackModelServer.StreamTextAsync(context, "<think>The caller", " is calm.</think>Hello", "! Your bill is 3.50 euros", ". Anything else?");
        using var client = Client(Options(server));

        var parts = await CollectAsync(client, Request(ConversationActionKind.Hangup));

        Assert.Equal(ReplyPartKind.FirstToken, parts[0].Kind);
        Assert.Equal(["Hello!", "Your bill is 3.50 euros.", "Anything else?"], parts.Where(p => p.Kind == ReplyPartKind.Sentence).Select(p => p.Text));
        Assert.All(parts, p => Assert.Equal("ep0", p.Endpoint));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test-0", request.Authorization);
        using var body = JsonDocument.Parse(request.Body);
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
        Assert.Equal("step-audio-r1.1", body.RootElement.GetProperty("model").GetString());
        var audio = body.RootElement.GetProperty("messages")[1].GetProperty("content").EnumerateArray().Single(p => p.GetProperty("type").GetString() == "input_audio");
        Assert.Equal("wav", audio.GetProperty("input_audio").GetProperty("format").GetString());
        Assert.Equal(Wav, Convert.FromBase64String(audio.GetProperty("input_audio").GetProperty("data").GetString()!));
        Assert.Equal("hangup", body.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(500)]
    public async Task A_failing_endpoint_fails_over_to_the_next_before_anything_was_produced(int status)
    {
        await using var first = await LoopbackModelServer.StartAsync();
        await using var second = await LoopbackModelServer.StartAsync();
        first.Handler = (context, _, _) => LoopbackModelServer.ErrorAsync(context, status);
        second.Handler = (context, _, _) => LoopbackModelServer.StreamTextAsync(context, "From the second.");
        using var client = Client(Options(first, second));

        var parts = await CollectAsync(client, Request());

        Assert.Equal(1, first.Count);
        Assert.Equal("From the second.", Assert.Single(parts, p => p.Kind == ReplyPartKind.Sentence).Text);
        Assert.All(parts, p => Assert.Equal("ep1", p.Endpoint));
    }

    [Fact]
    public async Task A_server_that_never_sends_a_token_is_abandoned_after_the_first_token_timeout()
    {
        await using var silent = await LoopbackModelServer.StartAsync();
        await using var second = await LoopbackModelServer.StartAsync();
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        silent.Handler = async (context, _, _) =>
        {
            context.RequestAborted.Register(() => aborted.TrySetResult());
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.FlushAsync();
            asked.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        second.Handler = (context, _, _) => LoopbackModelServer.StreamTextAsync(context, "Here I am.");
        var options = Options(silent, second);
        options.FirstTokenTimeout = TimeSpan.FromMilliseconds(300);
        // The bound runs on a clock only the test moves: the silent endpoint times out when the test says so, and the
        // second endpoint's own 300 ms never pass, however long a loaded machine takes to answer.
        var time = new ManualTimeProvider();
        using var client = ConversationModelClient.Create(options, time, NullLogger.Instance);

        var collecting = CollectAsync(client, Request());
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(options.FirstTokenTimeout);
        var parts = await collecting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("Here I am.", Assert.Single(parts, p => p.Kind == ReplyPartKind.Sentence).Text);
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_reply_that_breaks_off_after_it_started_is_reported_and_never_retried_elsewhere()
    {
        await using var first = await LoopbackModelServer.StartAsync();
        await using var second = await LoopbackModelServer.StartAsync();
        // The connection closes after the first chunk: no finish reason, no [DONE]. (A TCP reset instead could also
        // discard the chunk before the client read it, which would make this a failover test by luck.)
        first.Handler = (context, _, _) => LoopbackModelServer.WriteChunkAsync(context, new { role = "assistant", content = "One moment. Let me" });
        second.Handler = (context, _, _) => LoopbackModelServer.StreamTextAsync(context, "Never.");
        using var client = Client(Options(first, second));

        var parts = new List<ReplyPart>();
        var broken = await Assert.ThrowsAsync<ConversationStreamBrokenException>(async () =>
        {
            await foreach (var part in client.StreamAsync(Request(), CancellationToken.None))
            {
                parts.Add(part);
            }
        });

        Assert.Contains("ep0", broken.Message, StringComparison.Ordinal);
        Assert.Equal("One moment.", Assert.Single(parts, p => p.Kind == ReplyPartKind.Sentence).Text);
        Assert.Equal(0, second.Count);
    }

    [Fact]
    public async Task A_server_that_streams_forever_is_cut_at_the_reply_bound()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = async (context, _, _) =>
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await LoopbackModelServer.WriteChunkAsync(context, new { content = "la " });
                await Task.Delay(20, context.RequestAborted);
            }
        };
        var options = Options(server);
        options.MaxReplyDuration = TimeSpan.FromMilliseconds(500);
        using var client = Client(options);

        var broken = await Assert.ThrowsAsync<ConversationStreamBrokenException>(() => CollectAsync(client, Request()));
        Assert.Contains("reply longer than 0.5 s", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_endpoint_fails_the_error_names_each_and_then_the_breaker_skips_the_broken_one()
    {
        await using var first = await LoopbackModelServer.StartAsync();
        await using var second = await LoopbackModelServer.StartAsync();
        first.Handler = (context, _, _) => LoopbackModelServer.ErrorAsync(context, 503);
        second.Handler = (context, _, _) => { LoopbackModelServer.Abort(context); return Task.CompletedTask; };
        var options = Options(first, second);
        options.BreakerMinimumThroughput = 2;
        options.BreakDuration = TimeSpan.FromMinutes(10);
        using var client = Client(options);

        var failure = await Assert.ThrowsAsync<ConversationUnavailableException>(() => CollectAsync(client, Request()));
        Assert.Contains("ep0: HTTP 503", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ep1:", failure.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<ConversationUnavailableException>(() => CollectAsync(client, Request()));
        var third = await Assert.ThrowsAsync<ConversationUnavailableException>(() => CollectAsync(client, Request()));

        Assert.Equal(2, first.Count);
        Assert.Contains("ep0: circuit open", third.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tool_calls_streamed_in_pieces_become_actions_and_unknown_tools_or_broken_json_are_rejected()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, number) => number switch
        {
            1 => LoopbackModelServer.StreamToolCallAsync(context, "goto_step", "{\"st", "ep\": \"bill", "ing\"}"),
            2 => LoopbackModelServer.StreamToolCallAsync(context, "format_disk", "{}"),
            _ => LoopbackModelServer.StreamToolCallAsync(context, "hangup", "{\"reason\": "),
        };
        using var client = Client(Options(server));
        var request = Request(ConversationActionKind.GotoStep, ConversationActionKind.Hangup);

        var action = Assert.Single(await CollectAsync(client, request), p => p.Kind == ReplyPartKind.Action).Action;
        Assert.Equal(new ConversationAction(ConversationActionKind.GotoStep, "billing", null, "call_1"), action);

        Assert.Equal("unknown tool 'format_disk'", Assert.Single(await CollectAsync(client, request), p => p.Kind == ReplyPartKind.RejectedToolCall).Text);
        Assert.Equal("arguments of 'hangup' are not valid JSON", Assert.Single(await CollectAsync(client, request), p => p.Kind == ReplyPartKind.RejectedToolCall).Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task With_transcripts_off_no_text_from_the_server_reaches_the_log_or_the_failure(bool transcripts)
    {
        // Servers that echo the caller's words: in an error body, in a malformed stream, in a tool name it made up.
        const string Words = "card 4929 1234 5678";
        await using var failing = await LoopbackModelServer.StartAsync();
        await using var malformed = await LoopbackModelServer.StartAsync();
        await using var inventive = await LoopbackModelServer.StartAsync();
        failing.Handler = (context, _, _) => LoopbackModelServer.ErrorAsync(context, 500, "cannot parse: " + Words);
        malformed.Handler = (context, _, _) => LoopbackModelServer.WriteEventAsync(context, "{\"choices\": " + Words + "}");
        inventive.Handler = (context, _, _) => LoopbackModelServer.StreamToolCallAsync(context, "note_" + Words.Replace(' ', '_'), "{}");
        var options = Options(failing, malformed, inventive);
        options.LogTranscripts = transcripts;
        var logger = new CapturingLogger<ConversationModelClient>();
        using var client = ConversationModelClient.Create(options, TimeProvider.System, logger);

        var parts = await CollectAsync(client, Request(ConversationActionKind.Hangup));

        var refused = Assert.Single(parts, p => p.Kind == ReplyPartKind.RejectedToolCall);
        var refusal = ConversationDisclosure.RefusedTool(refused, transcripts);
        var logged = string.Join("\n", logger.Entries.Select(e => e.Message)) + "\n" + refusal;
        Assert.Contains("ep0 failed to start a reply (HTTP 500)", logged, StringComparison.Ordinal);
        Assert.Contains("ep1 failed to start a reply", logged, StringComparison.Ordinal);
        Assert.Equal(transcripts, logged.Contains("4929", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_json_in_the_stream_before_any_content_fails_over()
    {
        await using var first = await LoopbackModelServer.StartAsync();
        await using var second = await LoopbackModelServer.StartAsync();
        first.Handler = (context, _, _) => LoopbackModelServer.WriteEventAsync(context, "{\"choices\": [ {\"delta\": ");
        second.Handler = (context, _, _) => LoopbackModelServer.StreamTextAsync(context, "Fine.");
        using var client = Client(Options(first, second));

        var parts = await CollectAsync(client, Request());

        Assert.Equal("Fine.", Assert.Single(parts, p => p.Kind == ReplyPartKind.Sentence).Text);
        Assert.Equal(1, first.Count);
    }

    [Fact]
    public async Task Stopping_the_listener_cancels_the_http_request()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Handler = async (context, _, _) =>
        {
            context.RequestAborted.Register(() => aborted.TrySetResult());
            await LoopbackModelServer.WriteChunkAsync(context, new { role = "assistant", content = "First sentence. Second" });
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        using var client = Client(Options(server));
        using var bargeIn = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var part in client.StreamAsync(Request(), bargeIn.Token))
            {
                if (part.Kind == ReplyPartKind.Sentence)
                {
                    await bargeIn.CancelAsync();
                }
            }
        });

        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_text_only_endpoint_is_skipped_for_a_turn_without_words()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        var options = Options(server);
        options.Endpoints[0].Input = ConversationInputMode.Text;
        using var client = Client(options);

        var failure = await Assert.ThrowsAsync<ConversationUnavailableException>(() => CollectAsync(client, Request()));
        Assert.Contains("ep0: skipped (Text input not available for this turn)", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Count);
    }

}
