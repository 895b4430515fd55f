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

    internal RtpPortLease(Socket socket, Action<int>? release)
    {
        Socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _release = release;
    }

    /// <summary>The bound RTP socket.</summary>
    public Socket Socket { get; }

    /// <summary>The local address and port; advertise <see cref="Port"/> in SDP <c>m=audio</c>.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The even RTP port; RTCP would use <see cref="Port"/> + 1 (RFC 3550 §11).</summary>
    public int Port => LocalEndPoint.Port;

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Socket.Dispose();
        _release?.Invoke(Port);
    }
}
