using System.Net;
using System.Net.Sockets;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// An RTP port handed out by <see cref="RtpPortAllocator"/> together with the UDP socket already bound to it.
/// Disposing closes the socket (if nobody took it over) and returns the port pair to the allocator.
/// </summary>
public sealed class RtpPortLease : IDisposable
{
    private readonly Action<int>? _release;
    private int _disposed;

    internal RtpPortLease(Socket socket, Action<int>? release, Socket? rtcpSocket = null)
    {
        Socket = socket;
        RtcpSocket = rtcpSocket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _release = release;
    }

    /// <summary>The bound RTP socket.</summary>
    public Socket Socket { get; }

    /// <summary>The socket bound to <see cref="Port"/> + 1 for RTCP, if the allocator bound one.</summary>
    public Socket? RtcpSocket { get; }

    /// <summary>The local address and port; advertise <see cref="Port"/> in SDP <c>m=audio</c>.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The even RTP port; RTCP uses <see cref="Port"/> + 1 (RFC 3550 §11).</summary>
    public int Port => LocalEndPoint.Port;

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Socket.Dispose();
        RtcpSocket?.Dispose();
        _release?.Invoke(Port);
    }
}
