using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>The answers made from the request alone (<see cref="StatelessAnswers"/>), through a running user agent.</summary>
public sealed class StatelessAnswersTests
{
    [Fact]
    public async Task Options_is_answered_with_capabilities()
    {
        await using var server = await TestUserAgent.StartAsync(new TestCallHandler());
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Request("OPTIONS", "z9hG4bK-opt", 1, null));

        var ok = await caller.ReceiveResponseAsync();
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(SipUserAgentServer.AllowedMethods, string.Join(", ", ok.Headers.GetAll(SipHeaderId.Allow)));
        Assert.Equal("application/sdp", ok.Headers.GetFirst(SipHeaderId.Accept));
        Assert.True(ok.Headers.Contains(SipHeaderId.Supported));
        Assert.NotNull(ok.To!.Tag);
    }

    [Theory]
    [InlineData("REGISTER", 405)]
    [InlineData("SUBSCRIBE", 405)]
    [InlineData("FOOBAR", 501)]
    public async Task Unsupported_methods_get_405_or_501_with_allow(string method, int expected)
    {
        await using var server = await TestUserAgent.StartAsync(new TestCallHandler());
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Request(method, "z9hG4bK-m", 1, null));
        var response = await caller.ReceiveResponseAsync();
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(SipUserAgentServer.AllowedMethods, string.Join(", ", response.Headers.GetAll(SipHeaderId.Allow)));
    }

    [Fact]
    public async Task Bad_input_never_stops_the_server()
    {
        var handler = new TestCallHandler();
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        // Unanswerable: garbage, and a request without CSeq (the client matches a response by Via branch and CSeq
        // method, RFC 3261 §17.1.3, so without it no response could be matched).
        await caller.SendAsync(new byte[] { 0x00, 0xff, 0x13, 0x37, (byte)'\n', 0x80 });
        await caller.SendAsync("\r\n\r\n");
        await caller.SendAsync(caller.Request("OPTIONS", "z9hG4bK-nocseq", 1, null).Replace("CSeq: 1 OPTIONS\r\n", "", StringComparison.Ordinal));
        await caller.ExpectSilenceAsync(300);

        // Answerable: 400 with the parser's reason.
        var shortBody = caller.Request("OPTIONS", "z9hG4bK-cl", 2, null).Replace("Content-Length: 0", "Content-Length: 50", StringComparison.Ordinal);
        await caller.SendAsync(shortBody);
        var bad = await caller.ReceiveResponseAsync();
        Assert.Equal((400, "Content-Length exceeds body"), (bad.StatusCode, bad.ReasonPhrase));

        var noMaxForwards = caller.Request("OPTIONS", "z9hG4bK-mf", 3, null).Replace("Max-Forwards: 70\r\n", "", StringComparison.Ordinal);
        await caller.SendAsync(noMaxForwards);
        bad = await caller.ReceiveResponseAsync();
        Assert.Equal((400, "Missing mandatory header: Max-Forwards"), (bad.StatusCode, bad.ReasonPhrase));

        await caller.SendAsync(caller.Request("OPTIONS", "z9hG4bK-v3", 4, null).Replace(" SIP/2.0\r\n", " SIP/3.0\r\n", StringComparison.Ordinal));
        Assert.Equal(505, (await caller.ReceiveResponseAsync()).StatusCode);

        await caller.SendAsync(caller.Request("OPTIONS", "z9hG4bK-after", 5, null));
        Assert.Equal(200, (await caller.ReceiveResponseAsync()).StatusCode);
    }
}
