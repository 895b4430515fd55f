using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>The user agent under test: started on a free loopback UDP port, with short timers unless a test sets its own.</summary>
internal static class TestUserAgent
{
    /// <summary>
    /// Loopback on a free port; T1 50 ms and T2 200 ms so retransmissions and timeouts (RFC 3261 §17, 64·T1 = 3.2 s)
    /// happen within a test, far above loopback's round trip.
    /// </summary>
    public static SipOptions LoopbackOptions() => new()
    {
        ListenAddress = "127.0.0.1",
        Port = 0,
        T1 = TimeSpan.FromMilliseconds(50),
        T2 = TimeSpan.FromMilliseconds(200),
    };

    public static async Task<SipUserAgentServer> StartAsync(
        ICallHandler handler, SipOptions? options = null, ILoggerFactory? logs = null, TimeProvider? time = null)
    {
        var server = new SipUserAgentServer(options ?? LoopbackOptions(), handler, logs ?? NullLoggerFactory.Instance, time: time);
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
