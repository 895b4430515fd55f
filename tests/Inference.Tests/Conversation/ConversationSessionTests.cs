using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Conversation.CallerState;
using StepAudio.Telephony.Testing.ModelServers;

namespace StepAudio.Telephony.Inference.Tests.Conversation;

public sealed class ConversationSessionTests
{
    private static readonly ConversationEndpointOptions AudioEndpoint = new() { BaseUrl = new Uri("http://a/v1"), Model = "r1", Input = ConversationInputMode.Audio };
    private static readonly ConversationEndpointOptions TextEndpoint = new() { BaseUrl = new Uri("http://t/v1"), Model = "llm", Input = ConversationInputMode.Text };

    private static CallerTurnContext Context(int turn) => new(turn, TimeSpan.FromSeconds(1), "neutral", 0.5, 0, 0, [], 0.1, 0.1, "calm", [], [], false, 0, string.Empty, null);

    private static ModelTurnInput Turn(int number, string? words = null) => new(new float[1600], words, Context(number));

    private static ConversationSession Session(int audioTurnsKept = 2) =>
        new("You are the billing assistant.", [ConversationActionKind.Hangup, ConversationActionKind.GotoStep], ["billing"], audioTurnsKept: audioTurnsKept);

    [Fact]
    public void Audio_endpoints_get_the_wav_text_endpoints_the_words_and_a_text_endpoint_without_words_nothing()
    {
        var session = Session();

        var audio = session.Request(Turn(1, "my bill")).Messages(AudioEndpoint)!;
        var text = session.Request(Turn(1, "my bill")).Messages(TextEndpoint)!;

        Assert.Equal(ChatRole.System, audio[0].Role);
        Assert.Contains("Each caller turn comes with a <caller_state> block", audio[0].Text, StringComparison.Ordinal);
        Assert.Equal("audio/wav", Assert.Single(audio[^1].Contents.OfType<DataContent>()).MediaType);
        Assert.Contains("<caller_state turn=\"1\"", audio[^1].Text, StringComparison.Ordinal);
        Assert.Empty(text[^1].Contents.OfType<DataContent>());
        Assert.EndsWith("The caller said: my bill", text[^1].Text, StringComparison.Ordinal);
        Assert.Null(session.Request(Turn(1)).Messages(TextEndpoint));
    }

    [Fact]
    public void Only_what_the_caller_heard_is_kept_and_an_interruption_is_marked()
    {
        var session = Session();
        session.Commit(Turn(1), "Your bill is 30 euros.", interrupted: true, []);

        var assistant = session.History[^1];
        Assert.Equal(ChatRole.Assistant, assistant.Role);
        Assert.Equal("Your bill is 30 euros. [interrupted by the caller here; the rest was not heard]", assistant.Text);
    }

    [Fact]
    public void Tool_calls_are_answered_in_the_history_and_refused_ones_say_why()
    {
        var session = Session();
        var good = new ReplyPart(ReplyPartKind.Action, "ep", Action: new ConversationAction(ConversationActionKind.GotoStep, "billing", null, "c1"),
            ToolCall: new FunctionCallContent("c1", "goto_step", new Dictionary<string, object?> { ["step"] = "billing" }));
        var bad = new ReplyPart(ReplyPartKind.RejectedToolCall, "ep", "unknown tool 'wipe'", ToolCall: new FunctionCallContent("c2", "wipe"));

        session.Commit(Turn(1), "One moment.", interrupted: false, [good, bad]);

        var results = session.History[^1].Contents.OfType<FunctionResultContent>().ToList();
        Assert.Equal(["done", "error: unknown tool 'wipe'"], results.Select(r => r.Result));
        Assert.Equal(2, session.History[^2].Contents.OfType<FunctionCallContent>().Count());
    }

    [Fact]
    public void Older_turns_lose_their_audio_and_keep_their_words()
    {
        var session = Session(audioTurnsKept: 1);
        session.Commit(Turn(1, "first words"), "Ok.", false, []);
        session.Commit(Turn(2), "Fine.", false, []);

        var users = session.History.Where(m => m.Role == ChatRole.User).ToList();
        Assert.Empty(users[0].Contents.OfType<DataContent>());
        Assert.EndsWith("The caller said: first words", users[0].Text, StringComparison.Ordinal);
        Assert.Single(users[1].Contents.OfType<DataContent>());
    }

    [Fact]
    public async Task The_whole_history_goes_over_the_wire_in_the_openai_shape()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, _) => LoopbackModelServer.StreamTextAsync(context, "Sure.");
        var options = new ConversationOptions { FirstTokenTimeout = TimeSpan.FromSeconds(20), IdleTimeout = TimeSpan.FromSeconds(20) }; // real time, not under test
        options.Endpoints.Add(new ConversationEndpointOptions { BaseUrl = server.BaseUrl, Model = "r1" });
        using var client = ConversationModelClient.Create(options, TimeProvider.System, NullLogger.Instance);
        var session = Session();
        session.AddSpoken("Hello, how can I help?");
        session.Commit(Turn(1), "Let me check.", false, [new ReplyPart(ReplyPartKind.RejectedToolCall, "ep", "unknown tool 'wipe'", ToolCall: new FunctionCallContent("c2", "wipe", new Dictionary<string, object?>()))]);

        await foreach (var _ in client.StreamAsync(session.Request(Turn(2)), CancellationToken.None))
        {
        }

        using var body = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        var roles = body.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToList();
        Assert.Equal(["system", "assistant", "user", "assistant", "tool", "user"], roles);
        var tool = body.RootElement.GetProperty("messages")[4];
        Assert.Equal("c2", tool.GetProperty("tool_call_id").GetString());
        Assert.Equal(400, body.RootElement.GetProperty("max_completion_tokens").GetInt32());
    }
}
