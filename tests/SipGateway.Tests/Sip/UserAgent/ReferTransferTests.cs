using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>Blind transfer (RFC 3515) with the test caller as transferee.</summary>
public sealed class ReferTransferTests
{
    private static SipOptions Options() => new()
    {
        ListenAddress = "127.0.0.1",
        Port = 0,
        T1 = TimeSpan.FromMilliseconds(50),
        T2 = TimeSpan.FromMilliseconds(200),
        TransferTimeout = TimeSpan.FromSeconds(3),
    };

    [Fact]
    public async Task Accepted_refer_reports_progress_succeeds_on_final_sipfrag_and_hangs_up()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, dialogId) = await InDialogRequestTests.EstablishAsync(caller);
        var progress = new List<int>();

        var transfer = server.TransferAsync(dialogId, "sip:agent@10.0.0.9", CancellationToken.None, new SyncProgress(progress));
        var refer = await caller.ReceiveRequestAsync(SipMethods.Refer);
        Assert.Equal("<sip:agent@10.0.0.9>", refer.Headers.GetFirst(SipHeaderId.ReferTo));
        Assert.Equal("<sip:gateway@127.0.0.1>", refer.Headers.GetFirst(SipHeaderId.ReferredBy));
        Assert.Equal(toTag, refer.From!.Tag);
        await caller.SendAsync(SipTestCaller.ResponseTo(refer, 202, "Accepted"));

        await caller.SendAsync(Notify(caller, toTag, 2, "SIP/2.0 100 Trying\r\n", "active;expires=60"));
        Assert.Equal(200, (await InDialogRequestTests.ResponseForAsync(caller, 2)).StatusCode);
        Assert.False(transfer.IsCompleted);
        await caller.SendAsync(Notify(caller, toTag, 3, "SIP/2.0 200 OK\r\n", "terminated;reason=noresource"));
        Assert.Equal(200, (await InDialogRequestTests.ResponseForAsync(caller, 3)).StatusCode);

        var result = await transfer.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new TransferResult(true, 200, "OK"), result);
        Assert.Equal([100, 200], progress);
        var bye = await caller.ReceiveRequestAsync(SipMethods.Bye);
        await caller.SendAsync(SipTestCaller.ResponseTo(bye));
        Assert.Equal((dialogId, CallTermination.Gateway, CallTermination.ReasonTransferred), await TestCallHandler.NextAsync(handler.Terminated));
    }

    [Fact]
    public async Task Failed_target_keeps_the_call()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, dialogId) = await InDialogRequestTests.EstablishAsync(caller);

        var transfer = server.TransferAsync(dialogId, "sip:agent@10.0.0.9", CancellationToken.None);
        var refer = await caller.ReceiveRequestAsync(SipMethods.Refer);
        await caller.SendAsync(SipTestCaller.ResponseTo(refer, 202, "Accepted"));
        await caller.SendAsync(Notify(caller, toTag, 2, "SIP/2.0 486 Busy Here\r\n", "terminated"));

        Assert.Equal(new TransferResult(false, 486, "Busy Here"), await transfer.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, server.ActiveDialogCount);
        Assert.False(handler.Terminated.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Rejected_refer_fails_with_its_status_and_a_stray_notify_gets_481()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, dialogId) = await InDialogRequestTests.EstablishAsync(caller);

        var transfer = server.TransferAsync(dialogId, "sip:agent@10.0.0.9", CancellationToken.None);
        var refer = await caller.ReceiveRequestAsync(SipMethods.Refer);
        await caller.SendAsync(SipTestCaller.ResponseTo(refer, 603, "Declined"));
        Assert.Equal(new TransferResult(false, 603, "REFER rejected"), await transfer.WaitAsync(TimeSpan.FromSeconds(5)));

        await caller.SendAsync(Notify(caller, toTag, 2, "SIP/2.0 200 OK\r\n", "terminated"));
        Assert.Equal(481, (await InDialogRequestTests.ResponseForAsync(caller, 2)).StatusCode);
        Assert.Equal(481, (await server.TransferAsync("no-such-dialog", "sip:x@y", CancellationToken.None)).StatusCode);
    }

    [Fact]
    public async Task No_final_notify_times_out_with_408()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (_, dialogId) = await InDialogRequestTests.EstablishAsync(caller);

        var transfer = server.TransferAsync(dialogId, "sip:agent@10.0.0.9", CancellationToken.None);
        var refer = await caller.ReceiveRequestAsync(SipMethods.Refer);
        await caller.SendAsync(SipTestCaller.ResponseTo(refer, 202, "Accepted"));
        Assert.Equal(408, (await transfer.WaitAsync(TimeSpan.FromSeconds(10))).StatusCode);
    }

    private static async Task<SipUserAgentServer> StartAsync(TestCallHandler handler)
    {
        return await TestUserAgent.StartAsync(handler, Options());
    }

    private static string Notify(SipTestCaller caller, string toTag, int cseq, string sipfrag, string state) =>
        caller.Request("NOTIFY", "z9hG4bK-notify-" + cseq, cseq, toTag, sipfrag,
            $"Event: refer\r\nSubscription-State: {state}\r\nContent-Type: message/sipfrag;version=2.0\r\nContact: <sip:caller@127.0.0.1:{caller.Port}>\r\n");

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this records synchronously so the order is the arrival order.</summary>
    private sealed class SyncProgress(List<int> target) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (target)
            {
                target.Add(value);
            }
        }
    }
}
