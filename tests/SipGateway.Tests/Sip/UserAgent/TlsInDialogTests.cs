using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// Requests the gateway sends inside a dialog set up over TLS: their Via sent-by and Contact name the TLS listener's
/// port, not the UDP one (RFC 3261 §18.1.1, §26), so responses and later requests come back to a port that speaks TLS.
/// </summary>
public sealed class TlsInDialogTests
{
    [Fact]
    public async Task A_bye_over_tls_names_the_tls_listener_in_its_via_sent_by()
    {
        using var folder = new TempDirectory();
        var handler = new TestCallHandler();
        var (server, thumbprint) = await StartAsync(folder, handler);
        await using var running = server;
        var tlsPort = server.TlsEndPoint!.Port;
        Assert.NotEqual(server.LocalEndPoint.Port, tlsPort);
        await using var caller = await TlsDialogCaller.ConnectAsync(server, thumbprint, "tls-in-dialog");

        var tag = await EstablishAsync(caller);
        var dialogId = await TestCallHandler.NextAsync(handler.Confirmed);

        var hangUp = server.HangUpAsync(dialogId, CancellationToken.None);
        var bye = await caller.NextRequestAsync(SipMethods.Bye);

        Assert.Equal("TLS", bye.TopVia!.Transport);
        Assert.Equal(tlsPort, bye.TopVia.Port);
        await caller.SendRawAsync(SipTestCaller.ResponseTo(bye));
        await hangUp.WaitAsync(TlsDialogCaller.Timeout);
    }

    [Fact]
    public async Task A_reinvite_over_tls_is_answered_with_a_contact_on_the_tls_listener()
    {
        using var folder = new TempDirectory();
        var handler = new TestCallHandler();
        var (server, thumbprint) = await StartAsync(folder, handler);
        await using var running = server;
        var tlsPort = server.TlsEndPoint!.Port;
        Assert.NotEqual(server.LocalEndPoint.Port, tlsPort);
        await using var caller = await TlsDialogCaller.ConnectAsync(server, thumbprint, "tls-in-dialog");

        var tag = await EstablishAsync(caller);
        await TestCallHandler.NextAsync(handler.Confirmed);

        await caller.SendAsync("INVITE", 2, tag, SipTestCaller.Offer);
        var reinviteOk = await caller.FinalAsync(2);
        Assert.Equal(200, reinviteOk.StatusCode);
        Assert.Equal($"<sip:127.0.0.1:{tlsPort};transport=tls>", reinviteOk.Headers.GetFirst(SipHeaderId.Contact));
        await caller.SendAsync("ACK", 2, tag, body: string.Empty);
    }

    /// <summary>INVITE with an offer, 200, ACK: the dialog's To tag.</summary>
    private static async Task<string> EstablishAsync(TlsDialogCaller caller)
    {
        await caller.SendAsync("INVITE", 1, toTag: null, SipTestCaller.Offer);
        var ok = await caller.FinalAsync(1);
        Assert.Equal(200, ok.StatusCode);
        var tag = ok.To!.Tag!;
        await caller.SendAsync("ACK", 1, tag, body: string.Empty);
        return tag;
    }

    private static async Task<(SipUserAgentServer Server, string Thumbprint)> StartAsync(TempDirectory folder, TestCallHandler handler)
    {
        var (tls, thumbprint) = TlsDialogCaller.Listener(folder);
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, T1 = TimeSpan.FromMilliseconds(50), T2 = TimeSpan.FromMilliseconds(200), Tls = tls };
        var server = new SipUserAgentServer(options, handler, NullLoggerFactory.Instance);
        await server.StartAsync();
        return (server, thumbprint);
    }
}
