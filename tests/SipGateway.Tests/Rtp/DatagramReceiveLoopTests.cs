using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

/// <summary>
/// The loop against a real socket error. An unconnected Linux UDP socket drops the ICMP port unreachable a send
/// provokes, but a connected one reports it as ECONNREFUSED on its next receive (RFC 1122 4.1.3.3 leaves the choice
/// to the stack), so a socket connected to a closed loopback port fails once per datagram sent to it. The pause runs
/// on a clock only the test moves: while it is not moved, a loop that did not pause would take the next error at once.
/// </summary>
public sealed class DatagramReceiveLoopTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    // Long enough for a loop that did not pause to read the error already waiting on the socket, even on a loaded VM.
    private static readonly TimeSpan SpinWindow = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_refused_port_pauses_the_loop_after_each_error_and_it_keeps_receiving()
    {
        var closedPort = ClosedLoopbackPort();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(closedPort);
        var clock = new ManualTimeProvider();
        var errors = Channel.CreateUnbounded<SocketError>();
        var datagrams = Channel.CreateUnbounded<byte[]>();
        using var stop = new CancellationTokenSource();
        var loop = DatagramReceiveLoop.RunAsync(
            socket, 1500, (datagram, _) => datagrams.Writer.TryWrite(datagram.ToArray()), e => errors.Writer.TryWrite(e.SocketErrorCode), clock, stop.Token);

        socket.Send([1]);
        Assert.Equal(SocketError.ConnectionRefused, await NextErrorAsync(errors, loop));
        await WaitForPauseAsync(clock);

        // A second refusal is now waiting on the socket; the paused loop must not read it until the clock moves.
        socket.Send([2]);
        await Task.Delay(SpinWindow);
        Assert.False(errors.Reader.TryRead(out _), "the loop read again before its pause ended");
        Assert.False(loop.IsCompleted, "the loop ended on a socket error");

        Assert.True(clock.TryAdvanceToNextTimer());
        Assert.Equal(SocketError.ConnectionRefused, await NextErrorAsync(errors, loop));
        await WaitForPauseAsync(clock);

        // The peer starts listening and sends: after its pause the loop delivers again.
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(closedPort);
        peer.SendTo([42], socket.LocalEndPoint!);
        Assert.True(clock.TryAdvanceToNextTimer());
        Assert.Equal([42], await datagrams.Reader.ReadAsync().AsTask().WaitAsync(Timeout));
        Assert.False(errors.Reader.TryRead(out _));

        await stop.CancelAsync();
        await loop.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Cancelling_the_pause_ends_the_loop()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(ClosedLoopbackPort());
        var clock = new ManualTimeProvider();
        using var stop = new CancellationTokenSource();
        var loop = DatagramReceiveLoop.RunAsync(socket, 1500, (_, _) => { }, onSocketError: null, clock, stop.Token);

        socket.Send([1]);
        await WaitForPauseAsync(clock);
        await stop.CancelAsync();

        await loop.WaitAsync(Timeout);
        Assert.True(loop.IsCompletedSuccessfully);
    }

    /// <summary>The next error the loop told of; fails at once, naming the exception, if the loop ended instead.</summary>
    private static async Task<SocketError> NextErrorAsync(Channel<SocketError> errors, Task loop)
    {
        var next = errors.Reader.ReadAsync().AsTask();
        await Task.WhenAny(next, loop).WaitAsync(Timeout);
        Assert.False(loop.IsCompleted, $"the loop ended on a socket error: {loop.Exception?.InnerException?.Message}");
        return await next;
    }

    /// <summary>A loopback port nothing listens on: bound to learn a free one, then closed.</summary>
    private static IPEndPoint ClosedLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)probe.LocalEndPoint!;
    }

    /// <summary>The loop arms its pause after telling of the error: moving the clock before that would be lost.</summary>
    private static async Task WaitForPauseAsync(ManualTimeProvider clock)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (clock.ArmedTimers == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the loop did not pause on the clock after the socket error");
            await Task.Delay(5);
        }
    }
}
