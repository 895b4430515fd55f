using StepAudio.Telephony.Testing.ModelServers;

namespace StepAudio.Telephony.Benchmarks.ConversationLatency;

/// <summary>
/// `-- model-server`: an OpenAI-compatible chat server on loopback that answers every turn at once with one short
/// sentence and a <c>hangup</c> tool call, so scripts/conversation-latency.sh measures the gateway's own share of a
/// turn. Prints its base URL on the first line, then runs until stdin closes.
/// </summary>
internal static class InstantModelServer
{
    public const string CommandName = "model-server";

    public static async Task<int> RunAsync()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = async (context, _, _) =>
        {
            await LoopbackModelServer.WriteChunkAsync(context, new { role = "assistant", content = "Sure, one moment. " });
            await LoopbackModelServer.WriteChunkAsync(context, new { content = "Your bill is paid. Goodbye." });
            await LoopbackModelServer.WriteChunkAsync(context, new
            {
                tool_calls = new[] { new { index = 0, id = "call_0", type = "function", function = new { name = "hangup", arguments = "{}" } } },
            });
            await LoopbackModelServer.WriteChunkAsync(context, new { }, "tool_calls");
            await LoopbackModelServer.WriteEventAsync(context, "[DONE]");
        };
        Console.WriteLine(server.BaseUrl);
        await Console.Out.FlushAsync();
        await Console.In.ReadToEndAsync();
        Console.Error.WriteLine($"model-server: {server.Count} requests answered");
        return 0;
    }
}
