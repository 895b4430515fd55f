using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

/// <summary>
/// The filter in front of a real <see cref="SipUserAgentServer"/> over UDP. The server binds 127.0.0.1; the trusted
/// trunk is 127.0.0.2 and strangers use 127.0.0.3 and up (all of 127.0.0.0/8 is loopback on Linux).
/// </summary>
public sealed class SecuredServerTests
{
    private const string TrunkAddress = "127.0.0.2";
    private const string Realm = "gateway.test";

    private static async Task<(SipUserAgentServer Server, SipRequestFilter Filter)> StartAsync(TestCallHandler handler, bool digest, Action<SipSecurityOptions>? configure = null)
    {
        var security = new SipSecurityOptions { AllowUnlistedSources = false };
        var trunk = new TrunkOptions { Name = "carrier" };
        trunk.Addresses.Add(TrunkAddress + "/32");
        if (digest)
        {
            trunk.Username = "carrier";
            trunk.Password = "s3cret";
            trunk.Realm = Realm;
        }

        security.Trunks.Add(trunk);
        configure?.Invoke(security);
        var filter = new SipRequestFilter(security, TimeProvider.System, NullLogger<SipRequestFilter>.Instance);
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, T1 = TimeSpan.FromMilliseconds(50), T2 = TimeSpan.FromMilliseconds(200) };
        var server = new SipUserAgentServer(options, handler, NullLoggerFactory.Instance, filter);
        await server.StartAsync();
        return (server, filter);
    }

    private static string Invite(SipUdpPeer peer, string callId, int cseq = 1, string authorization = "") =>
        peer.Request("INVITE", callId, $"Contact: <sip:peer@{peer.LocalEndPoint}>\r\nContent-Type: application/sdp\r\n{authorization}", SipTestCaller.Offer, cseq: cseq);

    private static async Task<SipResponse> FinalAsync(SipUdpPeer peer, string callId)
    {
        while (true)
        {
            var response = await peer.ReceiveAsync(callId);
            if (response.StatusCode >= 200)
            {
                return response;
            }
        }
    }

    [Fact]
    public async Task Trunk_address_is_served_and_unlisted_address_gets_403()
    {
        var (server, _) = await StartAsync(new TestCallHandler(), digest: false);
        await using var running = server;
        using var trunk = new SipUdpPeer(server.LocalEndPoint, TrunkAddress);
        using var stranger = new SipUdpPeer(server.LocalEndPoint, "127.0.0.3");

        await trunk.SendAsync(Invite(trunk, "trunk-call"));
        Assert.Equal(200, (await FinalAsync(trunk, "trunk-call")).StatusCode);

        await stranger.SendAsync(Invite(stranger, "stranger-call"));
        var refused = await FinalAsync(stranger, "stranger-call");
        Assert.Equal(403, refused.StatusCode);
        Assert.Equal("Forbidden", refused.ReasonPhrase);

        await stranger.SendAsync(stranger.Request("OPTIONS", "stranger-options"));
        Assert.Equal(403, (await stranger.ReceiveAsync("stranger-options")).StatusCode);
    }

    [Fact]
    public async Task Unlisted_caller_authenticates_by_digest_and_its_bye_is_not_challenged()
    {
        var handler = new TestCallHandler();
        var (server, _) = await StartAsync(handler, digest: true);
        await using var running = server;
        using var caller = new SipUdpPeer(server.LocalEndPoint, "127.0.0.3");

        await caller.SendAsync(Invite(caller, "auth-call"));
        var challenge = await FinalAsync(caller, "auth-call");
        Assert.Equal(401, challenge.StatusCode);
        var sha256 = challenge.Headers.GetFirst("WWW-Authenticate")!;
        Assert.Contains("algorithm=SHA-256", sha256, StringComparison.Ordinal);
        Assert.Contains($"realm=\"{Realm}\"", sha256, StringComparison.Ordinal);
        Assert.False(handler.Incoming.Reader.TryRead(out _), "The handler saw the unauthenticated INVITE");

        var authorization = IndependentDigest.Authorization("SHA-256", "carrier", Realm, "s3cret", "INVITE", "sip:gateway@127.0.0.1", IndependentDigest.NonceOf(sha256));
        await caller.SendAsync(Invite(caller, "auth-call", cseq: 2, authorization));
        var ok = await FinalAsync(caller, "auth-call");
        Assert.Equal(200, ok.StatusCode);
        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal("auth-call", call.CallId);

        await caller.SendAsync(caller.Request("ACK", "auth-call", cseq: 2, toTag: ok.To!.Tag));
        await caller.SendAsync(caller.Request("BYE", "auth-call", cseq: 3, toTag: ok.To!.Tag));
        SipResponse byeResponse;
        do
        {
            // Read past retransmissions of the INVITE's 200 sent before the ACK landed (T1 is 50 ms).
            byeResponse = await caller.ReceiveAsync("auth-call");
        }
        while (byeResponse.CSeq!.Value.Method == "INVITE");

        Assert.Equal(200, byeResponse.StatusCode);
        Assert.Equal("BYE", byeResponse.CSeq!.Value.Method);
        Assert.Equal(0, server.ActiveDialogCount);
    }

    [Fact]
    public async Task Wrong_password_gets_403_and_no_call()
    {
        var handler = new TestCallHandler();
        var (server, _) = await StartAsync(handler, digest: true);
        await using var running = server;
        using var caller = new SipUdpPeer(server.LocalEndPoint, "127.0.0.4");

        await caller.SendAsync(Invite(caller, "bad-pass"));
        var nonce = IndependentDigest.NonceOf((await FinalAsync(caller, "bad-pass")).Headers.GetFirst("WWW-Authenticate")!);
        var authorization = IndependentDigest.Authorization("MD5", "carrier", Realm, "guess", "INVITE", "sip:gateway@127.0.0.1", nonce);
        await caller.SendAsync(Invite(caller, "bad-pass", cseq: 2, authorization));

        Assert.Equal(403, (await FinalAsync(caller, "bad-pass")).StatusCode);
        Assert.False(handler.Incoming.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Scanner_user_agent_gets_no_response_and_is_counted()
    {
        var (server, filter) = await StartAsync(new TestCallHandler(), digest: false, s => s.AllowUnlistedSources = true);
        await using var running = server;
        using var scanner = new SipUdpPeer(server.LocalEndPoint, "127.0.0.5");

        await scanner.SendAsync(scanner.Request("OPTIONS", "svmap", "User-Agent: friendly-scanner\r\n"));
        Assert.Null(await scanner.TryReceiveAsync("svmap", 500));
        Assert.Equal(1, filter.ScannersDroppedCount);

        await scanner.AssertAliveAsync();
    }

    [Fact]
    public async Task Flood_beyond_the_burst_is_dropped_silently_and_other_sources_still_served()
    {
        var (server, filter) = await StartAsync(new TestCallHandler(), digest: false, s =>
        {
            s.AllowUnlistedSources = true;
            s.RequestsPerSecond = 1;
            s.Burst = 5;
        });
        await using var running = server;
        using var flooder = new SipUdpPeer(server.LocalEndPoint, "127.0.0.6");
        using var bystander = new SipUdpPeer(server.LocalEndPoint, "127.0.0.7");

        for (var i = 0; i < 50; i++)
        {
            await flooder.SendAsync(flooder.Request("OPTIONS", "flood-" + i));
        }

        var answered = 0;
        for (var i = 0; i < 50; i++)
        {
            answered += await flooder.TryReceiveAsync("flood-" + i, i < 10 ? 1000 : 20) is null ? 0 : 1;
        }

        // Five from the burst, plus at most a few refilled while the loop ran.
        Assert.InRange(answered, 5, 8);
        Assert.InRange(filter.RateLimitedCount, 42, 45);
        await bystander.AssertAliveAsync();
    }
}
