using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Tests.Sip.Security;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// The draining hook: while <see cref="SipAvailability"/> says no, a new INVITE and an out-of-dialog OPTIONS get 503 with
/// Retry-After (what Kamailio's dispatcher fails over on and probes with); when it says yes again, calls are taken.
/// Also the call set-up trace: one sip.invite activity per admitted INVITE.
/// </summary>
public sealed class SipAvailabilityTests
{
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

    private static string Invite(SipUdpPeer peer, string callId) =>
        peer.Request("INVITE", callId, $"Contact: <sip:peer@{peer.LocalEndPoint}>\r\nContent-Type: application/sdp\r\n", SipTestCaller.Offer);

    [Fact]
    public async Task While_unavailable_new_INVITEs_and_OPTIONS_get_503_with_Retry_After_and_afterwards_calls_are_taken()
    {
        var accepting = true;
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, T1 = TimeSpan.FromMilliseconds(50), T2 = TimeSpan.FromMilliseconds(200) };
        await using var server = new SipUserAgentServer(options, new TestCallHandler(), NullLoggerFactory.Instance)
        {
            Availability = new SipAvailability(() => Volatile.Read(ref accepting), TimeSpan.FromSeconds(30)),
        };
        await server.StartAsync();
        using var peer = new SipUdpPeer(server.LocalEndPoint);

        await peer.SendAsync(peer.Request("OPTIONS", "probe-1"));
        Assert.Equal(200, (await peer.ReceiveAsync("probe-1")).StatusCode);

        Volatile.Write(ref accepting, false);
        await peer.SendAsync(peer.Request("OPTIONS", "probe-2"));
        var probe = await peer.ReceiveAsync("probe-2");
        Assert.Equal((503, "30"), (probe.StatusCode, probe.Headers.GetFirst(SipHeaderId.RetryAfter)));
        await peer.SendAsync(Invite(peer, "refused-call"));
        var refused = await FinalAsync(peer, "refused-call");
        Assert.Equal((503, "30"), (refused.StatusCode, refused.Headers.GetFirst(SipHeaderId.RetryAfter)));
        Assert.Equal(0, server.ActiveDialogCount);

        Volatile.Write(ref accepting, true);
        await peer.SendAsync(Invite(peer, "taken-call"));
        Assert.Equal(200, (await FinalAsync(peer, "taken-call")).StatusCode);
    }

    [Fact]
    public async Task An_admitted_INVITE_is_traced_as_one_sip_invite_activity_with_its_outcome()
    {
        var callId = "traced-" + Guid.NewGuid().ToString("N");
        using var recorded = new RecordedActivities(SipTracing.SourceName);
        // The activity lasts until the 200 is acknowledged or Timer H (64·T1) gives up; no ACK here, so a short T1.
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, T1 = TimeSpan.FromMilliseconds(50), T2 = TimeSpan.FromMilliseconds(200) };
        await using var server = new SipUserAgentServer(options, new TestCallHandler(), NullLoggerFactory.Instance);
        await server.StartAsync();
        using var peer = new SipUdpPeer(server.LocalEndPoint);

        await peer.SendAsync(Invite(peer, callId));
        Assert.Equal(200, (await FinalAsync(peer, callId)).StatusCode);

        await Eventually.TrueAsync(() => recorded.Where("sip.call_id", id => id == callId).Count > 0, TimeSpan.FromSeconds(30));
        var setup = Assert.Single(recorded.Where("sip.call_id", id => id == callId));
        Assert.Equal(("sip.invite", ActivityKind.Server), (setup.OperationName, setup.Kind));
        Assert.Equal(true, setup.GetTagItem("sip.accepted"));
        Assert.Equal(200, setup.GetTagItem("sip.status_code"));
        Assert.Equal("PCMA", setup.GetTagItem("sip.codec")); // the offer lists PCMA first
    }
}
