using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;
using StepAudio.Telephony.Testing.ModelServers;

namespace StepAudio.Telephony.EndToEnd.Tests.Conversation;

/// <summary>
/// A real call (sipp plays recorded speech over RTP) into the real gateway, whose flow hands the call to a model
/// served by a real HTTP server on loopback that speaks the OpenAI chat-completions stream.
/// </summary>
public sealed class ConversationCallTests : IDisposable
{
    private readonly SpokenCallWorkspace _workspace = new("conv");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task The_caller_is_heard_by_the_model_answered_aloud_and_hung_up_on_by_its_action()
    {
        await _workspace.WriteFlowAsync("assistant", SpokenCallWorkspace.AssistantFlow);
        await using var model = await LoopbackModelServer.StartAsync();
        model.Handler = async (context, _, _) =>
        {
            await LoopbackModelServer.WriteChunkAsync(context, new { role = "assistant", content = "<think>The caller greets me.</think>" });
            await LoopbackModelServer.WriteChunkAsync(context, new { content = "Thanks for calling the test line. Goodbye." });
            await LoopbackModelServer.WriteChunkAsync(context, new
            {
                tool_calls = new[] { new { index = 0, id = "call_0", type = "function", function = new { name = "hangup", arguments = """{"reason":"done"}""" } } },
            });
            await LoopbackModelServer.WriteChunkAsync(context, new { }, "tool_calls");
            await LoopbackModelServer.WriteEventAsync(context, "[DONE]");
        };
        var (call, output) = await _workspace.CallAsync(new Dictionary<string, string>
        {
            ["Conversation__Endpoints__0__BaseUrl"] = model.BaseUrl.ToString(),
            ["Conversation__Endpoints__0__Model"] = "step-audio-r1.1",
            ["Conversation__Endpoints__0__ApiKey"] = "sk-e2e-secret-key",
            ["Conversation__Endpoints__0__Name"] = "loopback",
            // Real-time bounds this test is not about (Inference.Tests are): a loaded machine's first request through
            // the HTTP stack must not reach the 4 s first-token default and turn the reply into the fallback.
            ["Conversation__FirstTokenTimeout"] = "00:00:30",
            ["Conversation__IdleTimeout"] = "00:00:30",
        });

        var turn = Assert.Single(call.OfType<ConversationTurn>());
        Assert.Equal(("talk", "audio", "loopback", "replied", "hangup"), (turn.Step, turn.Input, turn.Endpoint, turn.Outcome, turn.Action));
        Assert.NotNull(turn.FirstReplyPacketSeconds);
        Assert.True(turn.HeardSeconds > 1, turn.ToString());
        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal(("gateway", "completed"), (ended.HungUpBy, ended.Outcome));

        var request = Assert.Single(model.Requests);
        Assert.Equal("Bearer sk-e2e-secret-key", request.Authorization);
        using var body = JsonDocument.Parse(request.Body);
        var user = body.RootElement.GetProperty("messages").EnumerateArray().Last().GetProperty("content").EnumerateArray().ToList();
        Assert.Contains("<caller_state turn=\"1\"", user[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("wav", user[1].GetProperty("input_audio").GetProperty("format").GetString());

        // No key and no words in the log: transcripts are off by default.
        Assert.DoesNotContain("sk-e2e-secret-key", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Thanks for calling", output, StringComparison.Ordinal);
        Assert.DoesNotContain("The caller greets me", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_speech_gather_gets_the_recognised_words_and_the_turn_emotion_says_how_they_agree_with_the_voice()
    {
        await _workspace.WriteFlowAsync("words", """
            flow: words
            start: ask
            steps:
              ask:
                gather:
                  input: [speech]
                  timeout: 10s
                  retries: 0
                  no_input: other
                next: route
              route:
                branch:
                  - if: contains(text, "bill") and confidence > 0.5
                    goto: billing
                  - else: other
              billing:
                say: Billing.
              other:
                say: Other.
            """);
        await using var recogniser = await LoopbackModelServer.StartAsync();
        recogniser.Handler = async (context, _, _) =>
        {
            // OpenAI's verbose_json: "great" gives the words a clear opinion for wordsVoice.
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""
                {"task":"transcribe","language":"english","duration":2.0,"text":" I want to pay my bill, great. ",
                 "segments":[{"id":0,"seek":0,"start":0.0,"end":2.0,"text":" I want to pay my bill, great.","tokens":[1],"temperature":0.0,"avg_logprob":-0.05,"compression_ratio":1.2,"no_speech_prob":0.0}]}
                """);
        };
        var (call, output) = await _workspace.CallAsync(new Dictionary<string, string>
        {
            ["Recognition__BaseUrl"] = recogniser.BaseUrl.ToString(),
            ["Recognition__Timeout"] = "00:00:30", // the 5 s default is real time; not under test here
        });

        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal(("completed", "billing"), (ended.Outcome, ended.LastStep));
        Assert.Equal("/v1/audio/transcriptions", Assert.Single(recogniser.Requests).Path);
        var emotion = call.OfType<EmotionDetected>().First(e => e.Turn == 1);
        Assert.Contains(emotion.WordsVoice, new[] { "consistent", "ambiguous_negative" });
        Assert.DoesNotContain("pay my bill", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flow_with_converse_and_no_endpoint_stops_the_start_with_the_setting_to_add()
    {
        await _workspace.WriteFlowAsync("assistant", SpokenCallWorkspace.AssistantFlow);

        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(
            new Dictionary<string, string> { ["CallFlow__Enabled"] = "true", ["CallFlow__Directory"] = _workspace.Flows },
            TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"exit code {exitCode}, expected 1:\n{output}");
        Assert.Contains("steps.talk.converse: converse needs a model endpoint", output, StringComparison.Ordinal);
        Assert.Contains("Conversation:Endpoints:0:BaseUrl", output, StringComparison.Ordinal);
    }
}
