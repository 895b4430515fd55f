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

    /// <summary>
    /// The first of <paramref name="count"/> consecutive UDP ports on loopback that are all free right now, none of them
    /// one of <paramref name="avoid"/>. sipp's <c>-mp</c> takes four (audio and video RTP and RTCP from there on): two
    /// ports the OS handed out one after the other were once two apart, and sipp's video socket collided with its own
    /// SIP port.
    /// </summary>
    public static int UdpRange(int count, params int[] avoid)
    {
        ArgumentNullException.ThrowIfNull(avoid);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var first = Udp();
            if (first + count - 1 > IPEndPoint.MaxPort || avoid.Any(port => port >= first && port < first + count))
            {
                continue;
            }

            var sockets = new List<Socket>();
            try
            {
                for (var port = first; port < first + count; port++)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    sockets.Add(socket);
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }

                return first;
            }
            catch (SocketException)
            {
                // One of them is taken: try another start.
            }
            finally
            {
                sockets.ForEach(socket => socket.Dispose());
            }
        }

        throw new InvalidOperationException($"no {count} consecutive free UDP ports on loopback");
    }

    /// <summary>A TCP port on loopback that nothing listens on right now, none of <paramref name="avoid"/> (ports picked for the same process).</summary>
    public static int Tcp(params int[] avoid)
    {
        ArgumentNullException.ThrowIfNull(avoid);
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            if (!avoid.Contains(port))
            {
                return port;
            }
        }
    }

    /// <summary>A port on loopback free for both UDP and TCP right now (a SIP port takes both, RFC 3261 §18).</summary>
    public static int UdpAndTcp()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Udp();
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken over TCP: try another.
            }
        }

        throw new InvalidOperationException("no port on loopback free for both UDP and TCP");
    }
}
