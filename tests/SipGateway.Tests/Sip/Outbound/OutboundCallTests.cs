using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Outbound;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Outbound;

/// <summary>
/// PlaceCallAsync against the real sipp as the callee: sipp checks what we send (it exits 0 only if its scenario
/// completed, ACKs and BYEs included), we check the result and the handler.
/// </summary>
public sealed class OutboundCallTests
{
    private static readonly IPEndPoint LocalRtp = new(IPAddress.Loopback, 41_000);

    [Fact]
    public async Task Answered_call_rings_is_acked_and_hung_up_by_the_gateway()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, TimeSpan.FromMilliseconds(100));
        await using var callee = await SippCallee.StartAsync("uas");
        var progress = new RecordingProgress();

        var result = await server.PlaceCallAsync(Request(callee, progress), CancellationToken.None);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(200, result.StatusCode);
        Assert.Contains(180, progress.Statuses);
        Assert.Equal(AudioCodec.Pcmu, result.Codec);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, callee.MediaPort), result.RemoteRtp);
        Assert.Equal(1, server.ActiveDialogCount);

        await server.HangUpAsync(result.DialogId!, CancellationToken.None);
        await callee.AssertCompletedAsync();
        Assert.Equal((result.DialogId!, CallTermination.Gateway, CallTermination.ReasonHangUp), await TestCallHandler.NextAsync(handler.Terminated));
        Assert.Equal(0, server.ActiveDialogCount);
        Assert.Matches(@"(?m)^INVITE sip:callee@127\.0\.0\.1:\d+ SIP/2\.0", callee.Messages);

        // sipp's built-in uas treats the ACK as optional, so check it arrived, sent to the 200's Contact (§12.1.2, §13.2.2.4).
        Assert.Matches($@"(?m)^ACK sip:127\.0\.0\.1:{callee.EndPoint.Port};transport=UDP SIP/2\.0", callee.Messages);
    }

    [Fact]
    public async Task Record_route_of_the_2xx_becomes_the_reversed_route_set()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, TimeSpan.FromMilliseconds(100));
        await using var callee = await SippCallee.StartAsync("uas_record_route.xml");

        var result = await server.PlaceCallAsync(Request(callee), CancellationToken.None);
        Assert.True(result.Succeeded, result.Reason);
        await server.HangUpAsync(result.DialogId!, CancellationToken.None);

        // sipp's ereg check_it fails the call unless ACK and BYE both list Route r=1 before r=2.
        await callee.AssertCompletedAsync();
    }

    [Fact]
    public async Task Busy_callee_gets_its_ack_and_the_result_carries_486()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, TimeSpan.FromMilliseconds(100));
        await using var callee = await SippCallee.StartAsync("uas_busy.xml");

        var result = await server.PlaceCallAsync(Request(callee), CancellationToken.None);

        Assert.Equal((false, 486, "Busy Here"), (result.Succeeded, result.StatusCode, result.Reason));
        Assert.Null(result.DialogId);
        await callee.AssertCompletedAsync();
        Assert.Equal(0, server.ActiveDialogCount);
    }

    [Fact]
    public async Task Silent_callee_is_retransmitted_to_and_times_out_with_408()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, TimeSpan.FromMilliseconds(20));
        await using var callee = await SippCallee.StartAsync("uas_no_answer.xml");

        var result = await server.PlaceCallAsync(Request(callee), CancellationToken.None);

        Assert.Equal((false, 408), (result.Succeeded, result.StatusCode));
        await callee.AssertCompletedAsync();

        // Timer A: with T1 = 20 ms and Timer B at 1.28 s the INVITE goes out up to 7 times; sipp must have seen several.
        var invites = Regex.Count(callee.Messages, @"(?m)^INVITE sip:");
        Assert.True(invites >= 3, $"expected INVITE retransmissions, sipp saw {invites}:\n{callee.Messages}");
    }

    [Fact]
    public async Task Cancel_while_ringing_sends_cancel_and_acks_the_487()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, TimeSpan.FromMilliseconds(100));
        await using var callee = await SippCallee.StartAsync("uas_ring_cancel.xml");
        using var giveUp = new CancellationTokenSource();
        var progress = new RecordingProgress(status =>
        {
            if (status == 180)
            {
                giveUp.Cancel();
            }
        });

        var result = await server.PlaceCallAsync(Request(callee, progress), giveUp.Token);

        Assert.Equal((false, 487), (result.Succeeded, result.StatusCode));
        await callee.AssertCompletedAsync();
        Assert.Equal(0, server.ActiveDialogCount);
    }

    [Fact]
    public async Task Www_challenge_is_answered_and_sipp_verifies_the_credentials()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, TimeSpan.FromMilliseconds(100));
        await using var callee = await SippCallee.StartAsync("uas_digest_401.xml");
        var request = Request(callee, credentials: new OutboundCredentials("gw-user", "s3cret"));

        var result = await server.PlaceCallAsync(request, CancellationToken.None);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal((AudioCodec.Pcma, 101), (result.Codec, result.TelephoneEventPayloadType));
        await server.HangUpAsync(result.DialogId!, CancellationToken.None);
        await callee.AssertCompletedAsync();
        Assert.Matches(@"(?m)^CSeq: 2 INVITE", callee.Messages);
    }

    [Fact]
    public async Task Proxy_challenge_is_answered_with_a_correct_proxy_authorization()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, TimeSpan.FromMilliseconds(100));
        await using var callee = await SippCallee.StartAsync("uas_digest.xml");
        var request = Request(callee, credentials: new OutboundCredentials("gw-user", "s3cret"));

        var result = await server.PlaceCallAsync(request, CancellationToken.None);

        Assert.True(result.Succeeded, result.Reason);
        await server.HangUpAsync(result.DialogId!, CancellationToken.None);
        await callee.AssertCompletedAsync();

        // sipp 3.6.1 cannot verify Proxy-Authorization, so recompute RFC 2617 §3.2.2.1 (qop=auth) from what it received.
        var header = Regex.Match(callee.Messages, @"(?m)^Proxy-Authorization: Digest (.*)$").Groups[1].Value;
        string Param(string name) => Regex.Match(header, @"(?<![\w-])" + name + @"=""?([^"",\r\n]*)").Groups[1].Value;
        Assert.Equal(("gw-user", "trunk.example", "9f2c4e61d0a84b7c", "auth"), (Param("username"), Param("realm"), Param("nonce"), Param("qop")));
        var ha1 = Md5Hex("gw-user:trunk.example:s3cret");
        var ha2 = Md5Hex("INVITE:" + Param("uri"));
        Assert.Equal(Md5Hex($"{ha1}:9f2c4e61d0a84b7c:{Param("nc")}:{Param("cnonce")}:auth:{ha2}"), Param("response"));
        Assert.Equal(request.Target, Param("uri"));
    }

    [Fact]
    public async Task Wrong_password_is_not_retried_and_the_refusal_is_the_result()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, TimeSpan.FromMilliseconds(100));
        await using var callee = await SippCallee.StartAsync("uas_digest_401.xml");
        var request = Request(callee, credentials: new OutboundCredentials("gw-user", "wrong"));

        var result = await server.PlaceCallAsync(request, CancellationToken.None);

        // sipp's scenario answers a bad response with 403 and fails the call; we must stop there, not loop.
        Assert.Equal((false, 403), (result.Succeeded, result.StatusCode));
        await callee.WaitAsync();
        Assert.Matches(@"(?m)^CSeq: 2 INVITE", callee.Messages);
        Assert.DoesNotMatch(@"(?m)^CSeq: 3 INVITE", callee.Messages);
    }

    [Fact]
    public async Task Bye_from_the_callee_ends_the_dialog_and_notifies_once()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, TimeSpan.FromMilliseconds(100));
        await using var callee = await SippCallee.StartAsync("uas_remote_bye.xml");

        var result = await server.PlaceCallAsync(Request(callee), CancellationToken.None);

        Assert.True(result.Succeeded, result.Reason);
        await callee.AssertCompletedAsync();
        Assert.True(handler.Terminated.Reader.TryRead(out var ended), "sipp's BYE was answered but the handler was not told:\n" + callee.Messages);
        Assert.Equal((result.DialogId!, CallTermination.Caller, CallTermination.ReasonBye), ended);
        await server.HangUpAsync(result.DialogId!, CancellationToken.None); // already ended: a no-op
        Assert.Equal(0, server.ActiveDialogCount);
        Assert.False(handler.Terminated.Reader.TryRead(out var extra), $"second termination: {extra}");
    }

    private static OutboundCallRequest Request(SippCallee callee, IProgress<int>? progress = null, OutboundCredentials? credentials = null) => new()
    {
        Target = $"sip:callee@{callee.EndPoint}",
        FromDisplayName = "Contact Center",
        FromUser = "gateway",
        LocalRtp = LocalRtp,
        Progress = progress,
        Credentials = credentials,
    };

#pragma warning disable CA5351 // The scenario's challenge says algorithm=MD5; the test recomputes exactly that.
    private static string Md5Hex(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    private static async Task<SipUserAgentServer> StartAsync(TestCallHandler handler, TimeSpan t1)
    {
        return await TestUserAgent.StartAsync(handler, new SipOptions { ListenAddress = "127.0.0.1", Port = 0, T1 = t1, T2 = TimeSpan.FromSeconds(4) });
    }

    /// <summary>Records synchronously (Progress&lt;T&gt; would post to the thread pool and lose the order).</summary>
    private sealed class RecordingProgress(Action<int>? onReport = null) : IProgress<int>
    {
        private readonly ConcurrentQueue<int> _statuses = new();

        public IReadOnlyCollection<int> Statuses => _statuses;

        public void Report(int value)
        {
            _statuses.Enqueue(value);
            onReport?.Invoke(value);
        }
    }
}
