using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>The real sipp as the caller for each in-dialog scenario in deploy/sipp; sipp checks our answers, we check the handler.</summary>
public sealed class SippInDialogTests
{
    [Fact]
    public async Task Hold_and_unhold_by_reinvite()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        await SippScenario.RunAsync("uac_reinvite_hold.xml", server.LocalEndPoint);

        var hold = (await TestCallHandler.NextAsync(handler.MediaUpdates)).Update;
        var unhold = (await TestCallHandler.NextAsync(handler.MediaUpdates)).Update;
        Assert.Equal((SdpDirection.RecvOnly, false), (hold.Direction, hold.SendsAudio));
        Assert.Equal((SdpDirection.SendRecv, true), (unhold.Direction, unhold.SendsAudio));
        Assert.Equal("bye", (await TestCallHandler.NextAsync(handler.Terminated)).Reason);
    }

    [Fact]
    public async Task Codec_and_port_change_by_reinvite()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        await SippScenario.RunAsync("uac_reinvite_codec.xml", server.LocalEndPoint);

        var call = await TestCallHandler.NextAsync(handler.Incoming);
        var update = (await TestCallHandler.NextAsync(handler.MediaUpdates)).Update;
        Assert.Equal(AudioCodec.Pcmu, call.Codec);
        Assert.Equal(AudioCodec.Pcma, update.Codec);
        Assert.Equal(call.RemoteRtp.Port + 2, update.RemoteRtp.Port);
    }

    [Fact]
    public async Task Update_with_offer_and_as_refresh()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        await SippScenario.RunAsync("uac_update.xml", server.LocalEndPoint);

        Assert.Equal(SdpDirection.RecvOnly, (await TestCallHandler.NextAsync(handler.MediaUpdates)).Update.Direction);
        Assert.False(handler.MediaUpdates.Reader.TryRead(out _)); // the body-less UPDATE changes nothing
    }

    [Fact]
    public async Task Info_dtmf_digits_reach_the_handler()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        await SippScenario.RunAsync("uac_info_dtmf.xml", server.LocalEndPoint);

        var digits = new List<(char, TimeSpan)>();
        for (var i = 0; i < 3; i++)
        {
            var (_, digit, duration, source) = await TestCallHandler.NextAsync(handler.Dtmf);
            Assert.Equal(DtmfSource.Info, source);
            digits.Add((digit, duration));
        }

        Assert.Equal([('5', TimeSpan.FromMilliseconds(160)), ('#', TimeSpan.FromMilliseconds(160)), ('7', TimeSpan.Zero)], digits);
    }

    [Fact]
    public async Task Gateway_refreshes_the_session_as_uas_refresher()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, minSe: TimeSpan.FromSeconds(1));
        await SippScenario.RunAsync("uac_session_timer.xml", server.LocalEndPoint);

        Assert.Equal("bye", (await TestCallHandler.NextAsync(handler.Terminated)).Reason);
    }

    [Fact]
    public async Task Blind_transfer_with_sipp_as_transferee()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        var sipp = SippScenario.RunAsync("uac_refer_target.xml", server.LocalEndPoint);

        var dialogId = await TestCallHandler.NextAsync(handler.Confirmed, 10_000);
        var result = await server.TransferAsync(dialogId, "sip:agent@192.0.2.10", CancellationToken.None);
        await sipp;

        Assert.Equal(new TransferResult(true, 200, "OK"), result);
        Assert.Equal((dialogId, CallTermination.Gateway, CallTermination.ReasonTransferred), await TestCallHandler.NextAsync(handler.Terminated));
    }

    [Fact]
    public async Task Sipp_transfers_the_call_by_refer_and_gets_202_and_both_notifies()
    {
        var handler = new TestCallHandler { AcceptRefer = true };
        await using var server = await StartAsync(handler);
        await SippScenario.RunAsync("uac_refer_to_gateway.xml", server.LocalEndPoint, extraArguments: ["-key", "refer_to", "sip:agent@192.0.2.10"]);

        var (dialogId, target) = await TestCallHandler.NextAsync(handler.Refers);
        Assert.Equal("sip:agent@192.0.2.10", target);
        Assert.Equal((dialogId, CallTermination.Caller, "bye"), await TestCallHandler.NextAsync(handler.Terminated));
    }

    private static async Task<SipUserAgentServer> StartAsync(TestCallHandler handler, TimeSpan? minSe = null)
    {
        return await TestUserAgent.StartAsync(handler, new SipOptions { ListenAddress = "127.0.0.1", Port = 0, MinSessionExpires = minSe ?? TimeSpan.FromSeconds(90) });
    }
}
