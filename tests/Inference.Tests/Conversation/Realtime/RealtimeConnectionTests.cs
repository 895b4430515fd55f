using StepAudio.Telephony.Inference.Conversation;
using StepAudio.Telephony.Inference.Conversation.Realtime;

namespace StepAudio.Telephony.Inference.Tests.Conversation.Realtime;

/// <summary>Where the Realtime WebSocket is opened (the protocol itself is tested in <see cref="RealtimeConversationTests"/>).</summary>
public sealed class RealtimeConnectionTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9000/v1/", "ws://127.0.0.1:9000/v1/realtime?model=gpt-realtime")]
    [InlineData("https://api.openai.com/v1", "wss://api.openai.com/v1/realtime?model=gpt-realtime")]
    public void The_socket_address_is_the_base_url_with_realtime_and_the_model(string baseUrl, string expected)
    {
        var address = RealtimeConnection.Address(new ConversationEndpointOptions { BaseUrl = new Uri(baseUrl), Model = "gpt-realtime" });

        Assert.Equal(expected, address.ToString());
    }
}
