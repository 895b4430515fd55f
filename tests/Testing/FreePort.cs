using System.Net;
using System.Net.Sockets;

namespace StepAudio.Telephony.Testing;

/// <summary>Loopback ports for test servers and for "nothing listens here" (bound by the OS, then released).</summary>
public static class FreePort
{
    /// <summary>A UDP port on loopback that nothing is bound to right now.</summary>
    public static int Udp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A TCP port on loopback that nothing listens on right now.</summary>
    public static int Tcp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
