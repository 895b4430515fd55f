using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>Keys sent as SIP INFO (application/dtmf-relay) in the dialog, to a raw test caller on loopback.</summary>
public sealed class DtmfInfoSendTests
{
    private static SipOptions Options() => new()
    {
        ListenAddress = "127.0.0.1",
        Port = 0,
        T1 = TimeSpan.FromMilliseconds(50),
        T2 = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task Each_key_is_one_info_in_the_dialog_sent_after_the_previous_one_was_answered()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, dialogId) = await InDialogRequestTests.EstablishAsync(caller);

        var sending = server.SendDtmfInfoAsync(dialogId, "5*#", CancellationToken.None);
        var received = new List<(char Digit, long CSeq)>();
        SipRequest? previous = null;
        for (var i = 0; i < 3; i++)
        {
            var info = await caller.ReceiveRequestAsync(SipMethods.Info);
            if (previous is not null && info.CSeq!.Value.Number == previous.CSeq!.Value.Number)
            {
                i--; // a retransmission of the one not yet answered
                continue;
            }

            Assert.Equal(toTag, info.From!.Tag);
            Assert.Equal(DtmfInfoBody.DtmfRelay, info.Headers.GetFirst(SipHeaderId.ContentType));
            Assert.True(DtmfInfoBody.TryParse(DtmfInfoBody.DtmfRelay, Encoding.ASCII.GetString(info.Body.Span), out var digit, out var duration));
            Assert.Equal(TimeSpan.FromMilliseconds(100), duration);
            received.Add((digit, info.CSeq!.Value.Number));
            Assert.False(sending.IsCompleted);

            // The next key waits for this answer: nothing else arrives meanwhile but retransmissions of this INFO.
            await AssertOnlyRetransmissionsAsync(caller, info);
            await caller.SendAsync(SipTestCaller.ResponseTo(info));
            previous = info;
        }

        Assert.Equal(200, await sending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(['5', '*', '#'], received.Select(r => r.Digit));
        Assert.True(received[0].CSeq < received[1].CSeq && received[1].CSeq < received[2].CSeq, string.Join(", ", received));
        Assert.Equal(1, server.ActiveDialogCount);
    }

    [Fact]
    public async Task A_refused_info_stops_the_keys_and_reports_its_status()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (_, dialogId) = await InDialogRequestTests.EstablishAsync(caller);

        var sending = server.SendDtmfInfoAsync(dialogId, "12", CancellationToken.None);
        var info = await caller.ReceiveRequestAsync(SipMethods.Info);
        await caller.SendAsync(SipTestCaller.ResponseTo(info, 415, "Unsupported Media Type"));

        Assert.Equal(415, await sending.WaitAsync(TimeSpan.FromSeconds(5)));
        await AssertOnlyRetransmissionsAsync(caller, info);
        Assert.Equal(1, server.ActiveDialogCount); // the call goes on
    }

    [Fact]
    public async Task An_unknown_dialog_gets_481_and_a_character_that_is_not_a_key_sends_nothing()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (_, dialogId) = await InDialogRequestTests.EstablishAsync(caller);

        Assert.Equal(481, await server.SendDtmfInfoAsync("no-such-dialog", "1", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => server.SendDtmfInfoAsync(dialogId, "12x", CancellationToken.None));
        await Assert.ThrowsAsync<TimeoutException>(() => caller.ReceiveRequestAsync(SipMethods.Info, timeoutMs: 500));
    }

    /// <summary>For 300 ms (well inside Timer F), nothing but retransmissions of <paramref name="info"/> (same CSeq) reaches the caller.</summary>
    private static async Task AssertOnlyRetransmissionsAsync(SipTestCaller caller, SipRequest info)
    {
        var until = DateTime.UtcNow.AddMilliseconds(300);
        try
        {
            for (var left = 300; left > 0; left = (int)(until - DateTime.UtcNow).TotalMilliseconds)
            {
                var next = await caller.ReceiveRequestAsync(SipMethods.Info, timeoutMs: left);
                Assert.Equal(info.CSeq!.Value.Number, next.CSeq!.Value.Number);
            }
        }
        catch (TimeoutException)
        {
        }
    }

    private static async Task<SipUserAgentServer> StartAsync(TestCallHandler handler)
    {
        return await TestUserAgent.StartAsync(handler, Options());
    }
}
