using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// The user agent's transports: UDP, TCP on the same port (RFC 3261 §18) and TLS on its own (§26), which of them a
/// message leaves on, and the address we advertise in Via and Contact.
/// </summary>
internal sealed class SipListeners : IAsyncDisposable
{
    private readonly UdpSipTransport _udp;
    private readonly TcpSipTransport? _tcp;
    private readonly TlsSipTransport? _tls;
    private readonly string _host;

    private SipListeners(UdpSipTransport udp, TcpSipTransport? tcp, TlsSipTransport? tls, IPAddress publicAddress)
    {
        _udp = udp;
        _tcp = tcp;
        _tls = tls;
        PublicAddress = publicAddress;
        _host = publicAddress.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{publicAddress}]" : publicAddress.ToString();
        HostPort = string.Create(CultureInfo.InvariantCulture, $"{_host}:{udp.LocalEndPoint.Port}");
    }

    public IPEndPoint LocalEndPoint => _udp.LocalEndPoint;

    public IPEndPoint? TlsEndPoint => _tls?.LocalEndPoint;

    /// <summary>The address we advertise (configured, the listen address, or the first non-loopback IPv4 one).</summary>
    public IPAddress PublicAddress { get; }

    /// <summary>The advertised host and the UDP (and TCP) port.</summary>
    public string HostPort { get; }

    /// <summary>
    /// The sent-by of a Via for a request leaving on <paramref name="protocol"/>: our host and the port of the listener
    /// of that transport (RFC 3261 §18.1.1), so a response that cannot use the request's connection reaches us on
    /// a port that speaks its transport (§18.2.2): the TLS listener's for TLS (§26), the shared UDP/TCP one otherwise.
    /// </summary>
    public string SentBy(SipTransportProtocol protocol) =>
        protocol == SipTransportProtocol.Tls && _tls is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{_host}:{_tls.LocalEndPoint.Port}")
            : HostPort;

    /// <summary>Binds every enabled transport. Throws if an address cannot be bound or the TLS certificate not loaded.</summary>
    public static SipListeners Bind(SipOptions options, ILoggerFactory loggerFactory)
    {
        var listen = IPAddress.Parse(options.ListenAddress);
        var (udp, tcp) = BindUdpAndTcp(listen, options, loggerFactory);
        TlsSipTransport? tls = null;
        try
        {
            tls = options.Tls.Enabled
                ? new TlsSipTransport(new IPEndPoint(listen, options.Tls.Port), options.Tcp, options.Tls, options.UserAgent, loggerFactory.CreateLogger<TlsSipTransport>())
                : null;
        }
        catch
        {
            udp.DisposeAsync().AsTask().GetAwaiter().GetResult();
            tcp?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return new SipListeners(udp, tcp, tls, ResolvePublicAddress(listen, options));
    }

    /// <summary>Starts every receive loop.</summary>
    public void Start(SipMessageHandler onMessage)
    {
        ((ISipTransport)_udp).Start(onMessage);
        _tcp?.Start(onMessage);
        _tls?.Start(onMessage);
    }

    /// <summary>Sends a datagram from the SIP socket, for client transactions of other components.</summary>
    public ValueTask<bool> SendDatagramAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken) =>
        _udp.SendAsync(datagram, destination, cancellationToken);

    /// <summary>Sends on the transport the destination names (RFC 3261 §18.2.2: responses use the request's transport).</summary>
    public async Task SendAsync(byte[] bytes, SipEndPoint destination)
    {
        ISipTransport? transport = destination.Protocol switch
        {
            SipTransportProtocol.Tcp => _tcp,
            SipTransportProtocol.Tls => _tls,
            _ => _udp,
        };
        if (transport is not null)
        {
            await transport.SendAsync(bytes, destination);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _udp.DisposeAsync();
        if (_tcp is not null)
        {
            await _tcp.DisposeAsync();
        }

        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }
    }

    /// <summary>
    /// Binds UDP and, when enabled, TCP on the same port number (RFC 3261 §18: a server listening on UDP also
    /// listens on TCP at that port). With port 0 the OS picks the UDP port, and that number may already be taken
    /// on TCP, so a few fresh picks are tried; with a configured port the bind error stands.
    /// </summary>
    private static (UdpSipTransport Udp, TcpSipTransport? Tcp) BindUdpAndTcp(IPAddress listen, SipOptions options, ILoggerFactory loggerFactory)
    {
        const int Attempts = 20;
        for (var attempt = 1; ; attempt++)
        {
            var udp = new UdpSipTransport(new IPEndPoint(listen, options.Port), loggerFactory.CreateLogger<UdpSipTransport>(), options.UdpReceiveBufferBytes);
            if (!options.Tcp.Enabled)
            {
                return (udp, null);
            }

            try
            {
                var tcp = new TcpSipTransport(
                    new IPEndPoint(listen, udp.LocalEndPoint.Port), options.Tcp, options.UserAgent, loggerFactory.CreateLogger<TcpSipTransport>());
                return (udp, tcp);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && options.Port == 0 && attempt < Attempts)
            {
                udp.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch
            {
                udp.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
        }
    }

    private static IPAddress ResolvePublicAddress(IPAddress listen, SipOptions options)
    {
        if (options.PublicAddress is { Length: > 0 } configured)
        {
            return IPAddress.Parse(configured);
        }

        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            return listen;
        }

        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return unicast.Address;
                }
            }
        }

        return IPAddress.Loopback;
    }
}
