using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>A REFER the test caller sends (RFC 3515, the gateway as notifier): 202 and sipfrag NOTIFYs, or a refusal.</summary>
public sealed class InboundReferTests
{
    private static readonly Dictionary<string, uint> LastNotify = [];

    private static SipOptions Options(int transferTimeoutSeconds) => new()
    {
        ListenAddress = "127.0.0.1",
        Port = 0,
        T1 = TimeSpan.FromMilliseconds(50),
        T2 = TimeSpan.FromMilliseconds(200),
        TransferTimeout = TimeSpan.FromSeconds(transferTimeoutSeconds),
    };

    [Fact]
    public async Task Accepted_refer_gets_202_then_trying_and_the_final_status_and_the_transfer_sees_the_target()
    {
        var handler = new TestCallHandler { AcceptRefer = true };
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, dialogId) = await InDialogRequestTests.EstablishAsync(caller);

        await caller.SendAsync(Refer(caller, toTag, 2, "Refer-To: <sip:agent@10.0.0.9>\r\n"));
        Assert.Equal(202, (await InDialogRequestTests.ResponseForAsync(caller, 2)).StatusCode);

        var trying = await NextNotifyAsync(caller);
        Assert.Equal("refer;id=2", trying.Headers.GetFirst(SipHeaderId.Event));
        Assert.Equal("active;expires=60", trying.Headers.GetFirst("Subscription-State"));
        Assert.Equal(SipFrag.ContentType, trying.ContentType);
        Assert.Equal("SIP/2.0 100 Trying\r\n", Encoding.UTF8.GetString(trying.Body.Span));
        Assert.Equal(toTag, trying.From!.Tag);

        var final = await NextNotifyAsync(caller);
        Assert.Equal("SIP/2.0 200 OK\r\n", Encoding.UTF8.GetString(final.Body.Span));
        Assert.StartsWith("terminated", final.Headers.GetFirst("Subscription-State"), StringComparison.Ordinal);
        Assert.True(final.CSeq!.Value.Number > trying.CSeq!.Value.Number);
        Assert.Equal((dialogId, "sip:agent@10.0.0.9"), await TestCallHandler.NextAsync(handler.Refers));
    }

    [Theory]
    [InlineData(503, "Service Unavailable")]
    [InlineData(486, "Busy Here")]
    public async Task Unreachable_target_is_a_failure_sipfrag_and_the_call_continues(int status, string reason)
    {
        var handler = new TestCallHandler
        {
            AcceptRefer = true,
            Refer = (_, _) => Task.FromResult(new TransferResult(false, status, reason)),
        };
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, _) = await InDialogRequestTests.EstablishAsync(caller);

        await caller.SendAsync(Refer(caller, toTag, 2, "Refer-To: \"Agent\" <sip:agent@unreachable.invalid>;x=1\r\n"));
        Assert.Equal(202, (await InDialogRequestTests.ResponseForAsync(caller, 2)).StatusCode);
        await NextNotifyAsync(caller);
        var final = await NextNotifyAsync(caller);
        Assert.Equal($"SIP/2.0 {status} {reason}\r\n", Encoding.UTF8.GetString(final.Body.Span));

        // The call is still there: an in-dialog request works, and nobody ended it.
        await caller.SendAsync(caller.Request("INFO", "z9hG4bK-info", 3, toTag));
        Assert.Equal(200, (await InDialogRequestTests.ResponseForAsync(caller, 3)).StatusCode);
        Assert.Equal(1, server.ActiveDialogCount);
        Assert.False(handler.Terminated.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_flow_that_does_not_allow_it_declines_with_603_and_nothing_is_transferred()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, _) = await InDialogRequestTests.EstablishAsync(caller);

        await caller.SendAsync(Refer(caller, toTag, 2, "Refer-To: <sip:agent@10.0.0.9>\r\n"));
        Assert.Equal(603, (await InDialogRequestTests.ResponseForAsync(caller, 2)).StatusCode);
        await caller.ExpectSilenceAsync(300);
        Assert.False(handler.Refers.Reader.TryRead(out _));
        Assert.Equal(1, server.ActiveDialogCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Refer-To: <sip:a@10.0.0.9>\r\nRefer-To: <sip:b@10.0.0.9>\r\n")]
    [InlineData("Refer-To: <sip:a@10.0.0.9>, <sip:b@10.0.0.9>\r\n")]
    [InlineData("Refer-To: <sip:a@10.0.0.9\r\n")]
    public async Task Refer_without_exactly_one_readable_refer_to_gets_400_and_is_counted(string referTo)
    {
        var responses = new ConcurrentQueue<int>();
        using var listener = Listen("sip.dialog.refers_received", responses);
        var handler = new TestCallHandler { AcceptRefer = true };
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, _) = await InDialogRequestTests.EstablishAsync(caller);

        await caller.SendAsync(Refer(caller, toTag, 2, referTo));
        Assert.Equal(400, (await InDialogRequestTests.ResponseForAsync(caller, 2)).StatusCode);
        Assert.False(handler.Refers.Reader.TryRead(out _));
        Assert.Contains(400, responses);
        Assert.Equal(1, server.ActiveDialogCount);
    }

    [Fact]
    public async Task Refer_outside_a_dialog_gets_481()
    {
        var handler = new TestCallHandler { AcceptRefer = true };
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(Refer(caller, null, 1, "Refer-To: <sip:agent@10.0.0.9>\r\n"));
        Assert.Equal(481, (await InDialogRequestTests.ResponseForAsync(caller, 1)).StatusCode);
        await caller.SendAsync(Refer(caller, "no-such-tag", 1, "Refer-To: <sip:agent@10.0.0.9>\r\n", branch: "z9hG4bK-other"));
        Assert.Equal(481, (await InDialogRequestTests.ResponseForAsync(caller, 1)).StatusCode);
        Assert.False(handler.Refers.Reader.TryRead(out _));
    }

    [Theory]
    [InlineData("Refer-To: <tel:+15551234567>\r\n")]
    [InlineData("Refer-To: <sip:agent@10.0.0.9?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2>\r\n")]
    public async Task A_target_we_cannot_call_is_accepted_then_fails_with_416_without_a_transfer(string referTo)
    {
        var handler = new TestCallHandler { AcceptRefer = true };
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, _) = await InDialogRequestTests.EstablishAsync(caller);

        await caller.SendAsync(Refer(caller, toTag, 2, referTo));
        Assert.Equal(202, (await InDialogRequestTests.ResponseForAsync(caller, 2)).StatusCode);
        Assert.Equal("SIP/2.0 100 Trying\r\n", Encoding.UTF8.GetString((await NextNotifyAsync(caller)).Body.Span));
        Assert.Equal("SIP/2.0 416 Unsupported URI Scheme\r\n", Encoding.UTF8.GetString((await NextNotifyAsync(caller)).Body.Span));
        Assert.False(handler.Refers.Reader.TryRead(out _));
        Assert.Equal(1, server.ActiveDialogCount);
    }

    [Fact]
    public async Task A_transfer_that_never_finishes_is_notified_408_and_one_that_throws_500_and_the_call_survives_both()
    {
        var statuses = new ConcurrentQueue<int>();
        using var listener = Listen("sip.dialog.referred_transfers", statuses);
        var calls = 0;
        var handler = new TestCallHandler
        {
            AcceptRefer = true,
            Refer = async (_, ct) =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    await Task.Delay(Timeout.Infinite, ct); // cancelled at SipOptions.TransferTimeout
                }

                throw new InvalidOperationException("dialer broke");
            },
        };
        await using var server = await StartAsync(handler, transferTimeoutSeconds: 3);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, _) = await InDialogRequestTests.EstablishAsync(caller);

        await caller.SendAsync(Refer(caller, toTag, 2, "Refer-To: <sip:agent@10.0.0.9>\r\n"));
        Assert.Equal(202, (await InDialogRequestTests.ResponseForAsync(caller, 2)).StatusCode);
        await NextNotifyAsync(caller);

        // A second REFER while the first is being reported on is refused, not queued.
        await caller.SendAsync(Refer(caller, toTag, 3, "Refer-To: <sip:other@10.0.0.9>\r\n"));
        Assert.Equal(491, (await InDialogRequestTests.ResponseForAsync(caller, 3)).StatusCode);

        Assert.Equal("SIP/2.0 408 Request Timeout\r\n", Encoding.UTF8.GetString((await NextNotifyAsync(caller, 10_000)).Body.Span));

        await caller.SendAsync(Refer(caller, toTag, 4, "Refer-To: <sip:agent@10.0.0.9>\r\n"));
        Assert.Equal(202, (await InDialogRequestTests.ResponseForAsync(caller, 4)).StatusCode);
        Assert.Equal("refer;id=4", (await NextNotifyAsync(caller)).Headers.GetFirst(SipHeaderId.Event));
        Assert.Equal("SIP/2.0 500 Server Internal Error\r\n", Encoding.UTF8.GetString((await NextNotifyAsync(caller)).Body.Span));
        Assert.Equal(1, server.ActiveDialogCount);
        await Eventually.TrueAsync(() => statuses.Contains(408) && statuses.Contains(500), TimeSpan.FromSeconds(5));
    }

    private static async Task<SipUserAgentServer> StartAsync(TestCallHandler handler, int transferTimeoutSeconds = 5)
    {
        var server = new SipUserAgentServer(Options(transferTimeoutSeconds), handler, NullLoggerFactory.Instance);
        await server.StartAsync();
        return server;
    }

    private static string Refer(SipTestCaller caller, string? toTag, int cseq, string referTo, string? branch = null) =>
        caller.Request("REFER", branch ?? "z9hG4bK-refer-" + cseq, cseq, toTag, extraHeaders:
            referTo + $"Referred-By: <sip:caller@127.0.0.1>\r\nContact: <sip:caller@127.0.0.1:{caller.Port}>\r\n");

    /// <summary>
    /// The next new NOTIFY, answered 200 as a subscriber must (RFC 6665 §4.1.3); a retransmission (same CSeq) is
    /// answered again and skipped.
    /// </summary>
    private static async Task<SipRequest> NextNotifyAsync(SipTestCaller caller, int timeoutMs = 5000)
    {
        while (true)
        {
            var notify = await caller.ReceiveRequestAsync(SipMethods.Notify, timeoutMs);
            await caller.SendAsync(SipTestCaller.ResponseTo(notify));
            lock (LastNotify)
            {
                var cseq = notify.CSeq!.Value.Number;
                if (!LastNotify.TryGetValue(caller.CallId, out var last) || cseq > last)
                {
                    LastNotify[caller.CallId] = cseq;
                    return notify;
                }
            }
        }
    }

    // Only this class provokes these counters, and xUnit runs a class's tests one at a time.
    private static MeterListener Listen(string name, ConcurrentQueue<int> values)
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "StepAudio.Telephony" && instrument.Name == name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => values.Enqueue((int)tags[0].Value!));
        listener.Start();
        return listener;
    }
}
