using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.Security;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Fuzzing;

/// <summary>
/// A UAS on loopback (no request filter, so floods are not rate limited away) whose handler rejects every call with
/// 486, so fuzzed INVITEs that happen to stay valid leave no dialog behind; plus one peer to attack it from.
/// </summary>
internal sealed class FuzzedServer : IAsyncDisposable
{
    private FuzzedServer(SipUserAgentServer server, TestCallHandler handler)
    {
        Server = server;
        Handler = handler;
        Peer = new SipUdpPeer(server.LocalEndPoint);
    }

    public SipUserAgentServer Server { get; }

    public TestCallHandler Handler { get; }

    public SipUdpPeer Peer { get; }

    public static async Task<FuzzedServer> StartAsync()
    {
        var handler = new TestCallHandler((_, _) => Task.FromResult(MediaAcceptance.Reject(486, "Busy Here")));
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, T1 = TimeSpan.FromMilliseconds(20), T2 = TimeSpan.FromMilliseconds(80) };
        var server = new SipUserAgentServer(options, handler, NullLoggerFactory.Instance);
        await server.StartAsync();
        return new FuzzedServer(server, handler);
    }

    /// <summary>Waits until every table is empty again: 64*T1 after the last transaction (1.3 s here).</summary>
    public async Task AssertTablesDrainAsync()
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (Server.TableSizes != (0, 0, 0, 0))
        {
            Assert.True(Environment.TickCount64 < deadline, $"UAS tables did not drain: {Server.TableSizes}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Peer.Dispose();
        await Server.DisposeAsync();
    }
}
