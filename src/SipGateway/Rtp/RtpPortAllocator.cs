using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// Hands out even RTP ports from [<see cref="RtpOptions.PortMin"/>, <see cref="RtpOptions.PortMax"/>], keeping
/// port + 1 free for RTCP (RFC 3550 §11). Each lease comes with a socket already bound, so a port that another
/// process holds (or the OS refuses), RTP or RTCP, is skipped rather than handed out. Thread-safe.
/// </summary>
public sealed partial class RtpPortAllocator
{
    private readonly Lock _gate = new();
    private readonly IPAddress _bindAddress;
    private readonly int _firstPort;
    private readonly bool[] _inUse;
    private readonly ILogger _logger;
    private int _next;
    private int _leased;

    /// <summary>Creates an allocator for the configured range.</summary>
    /// <exception cref="ArgumentException">The range holds no even/odd port pair or the bind address is invalid.</exception>
    public RtpPortAllocator(IOptions<RtpOptions> options, ILogger<RtpPortAllocator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        if (!IPAddress.TryParse(value.BindAddress, out var bindAddress))
        {
            throw new ArgumentException($"Rtp:BindAddress '{value.BindAddress}' is not an IP address.", nameof(options));
        }

        _bindAddress = bindAddress;
        _firstPort = Math.Max(value.PortMin + (value.PortMin & 1), 2);
        int lastPort = Math.Min(value.PortMax, IPEndPoint.MaxPort);
        int pairs = (lastPort - _firstPort + 1) / 2;
        if (pairs <= 0)
        {
            throw new ArgumentException(
                $"Rtp port range [{value.PortMin}, {value.PortMax}] holds no even RTP port with its RTCP port.",
                nameof(options));
        }

        _inUse = new bool[pairs];
        _logger = logger ?? NullLogger<RtpPortAllocator>.Instance;
    }

    /// <summary>Number of port pairs in the range.</summary>
    public int Capacity => _inUse.Length;

    /// <summary>Number of ports currently leased.</summary>
    public int Leased
    {
        get
        {
            lock (_gate)
            {
                return _leased;
            }
        }
    }

    /// <summary>Leases the next free even port whose socket could be bound.</summary>
    /// <returns>False when every port in the range is leased or refused by the OS.</returns>
    public bool TryAllocate([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RtpPortLease? lease)
    {
        lock (_gate)
        {
            // Round-robin rather than lowest-free: a port just released may still receive the old call's packets.
            for (int attempt = 0; attempt < _inUse.Length; attempt++)
            {
                int index = _next;
                _next = (_next + 1) % _inUse.Length;
                if (_inUse[index])
                {
                    continue;
                }

                int port = _firstPort + (2 * index);
                var socket = TryBind(port);
                if (socket is null)
                {
                    continue;
                }

                var rtcpSocket = TryBind(port + 1);
                if (rtcpSocket is null)
                {
                    socket.Dispose();
                    continue;
                }

                _inUse[index] = true;
                _leased++;
                lease = new RtpPortLease(socket, Release, rtcpSocket);
                return true;
            }
        }

        lease = null;
        return false;
    }

    private Socket? TryBind(int port)
    {
        var socket = new Socket(_bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(_bindAddress, port));
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            LogPortSkipped(_logger, port, ex.SocketErrorCode);
            return null;
        }
    }

    private void Release(int port)
    {
        int index = (port - _firstPort) / 2;
        lock (_gate)
        {
            if ((uint)index < (uint)_inUse.Length && _inUse[index])
            {
                _inUse[index] = false;
                _leased--;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "RTP port {Port} skipped: {Error}")]
    private static partial void LogPortSkipped(ILogger logger, int port, SocketError error);
}
