using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// SIP over UDP (RFC 3261 §18): one socket, a background receive loop that survives any failure, and sends to
/// explicit destinations (response routing is <see cref="SipResponseRouter"/>'s job).
/// </summary>
public sealed class UdpSipTransport : ISipTransport
{
    // RFC 3261 §18.1.1: messages may be up to 65,535 octets on UDP in principle; keep one buffer of the maximum size.
    private const int MaxDatagramSize = 65_535;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _errorLog = new(TimeSpan.FromSeconds(10));
    private readonly CancellationTokenSource _stopping = new();
    private Task? _receiveLoop;

    public UdpSipTransport(IPEndPoint bindEndPoint, ILogger<UdpSipTransport> logger)
        : this(bindEndPoint, logger, 0)
    {
    }

    /// <param name="receiveBufferBytes">SO_RCVBUF to request; 0 keeps the OS default.</param>
    public UdpSipTransport(IPEndPoint bindEndPoint, ILogger<UdpSipTransport> logger, int receiveBufferBytes)
    {
        ArgumentNullException.ThrowIfNull(bindEndPoint);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfNegative(receiveBufferBytes);
        _logger = logger;
        _socket = new Socket(bindEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (receiveBufferBytes > 0)
            {
                SetReceiveBuffer(receiveBufferBytes);
            }

            _socket.Bind(bindEndPoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <summary>The effective SO_RCVBUF (Linux reports double the granted size, capped by net.core.rmem_max).</summary>
    public int ReceiveBufferSize => _socket.ReceiveBufferSize;

    /// <summary>The bound address and port (the OS-chosen port when bound to port 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    private void SetReceiveBuffer(int bytes)
    {
        _socket.ReceiveBufferSize = bytes;

        // The kernel silently caps the request; say so, since a small buffer drops datagrams under load unseen.
        if (_socket.ReceiveBufferSize < bytes && _logger.IsEnabled(LogLevel.Warning))
        {
            _logger.LogWarning(
                "SIP UDP receive buffer is {Granted} bytes, less than the {Requested} requested; raise net.core.rmem_max", _socket.ReceiveBufferSize, bytes);
        }
    }

    public void Start(SipDatagramHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_receiveLoop is not null)
        {
            throw new InvalidOperationException("The transport is already started.");
        }

        // A dedicated thread, not the thread pool: media and analysis share the pool, and under load a pool-based
        // receive loop answered BYEs seconds late (README.md, "Performance"). Signalling must not queue behind media.
        _receiveLoop = Task.Factory.StartNew(
            () => ReceiveLoop(handler, _stopping.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation("SIP UDP transport listening on {EndPoint}", LocalEndPoint);
        }
    }

    public SipTransportProtocol Protocol => SipTransportProtocol.Udp;

    void ISipTransport.Start(SipMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Start((datagram, remote) => handler(datagram, SipEndPoint.Udp(remote)));
    }

    ValueTask<bool> ISipTransport.SendAsync(ReadOnlyMemory<byte> message, SipEndPoint destination, CancellationToken cancellationToken) =>
        SendAsync(message, destination.Address, cancellationToken);

    /// <summary>Sends one datagram; failures are logged and reported as false, never thrown.</summary>
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken = default)
    {
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, destination, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            SipTransportMetrics.SendErrors.Add(1);
            if (_errorLog.TryAcquire(out var suppressed))
            {
                _logger.LogWarning(ex, "SIP send to {Destination} failed ({Suppressed} similar errors suppressed)", destination, suppressed);
            }

            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        _socket.Dispose();
        if (_receiveLoop is not null)
        {
            await _receiveLoop;
        }

        _stopping.Dispose();
    }

    private void ReceiveLoop(SipDatagramHandler handler, CancellationToken cancellationToken)
    {
        Thread.CurrentThread.Name = "sip-udp-receive";
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagramSize);
        EndPoint any = LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Blocking on this thread; stopping disposes the socket, which ends the wait.
                var from = any;
                var length = _socket.ReceiveFrom(buffer, SocketFlags.None, ref from);
                SipTransportMetrics.DatagramsReceived.Add(1);
                var received = buffer.AsSpan(0, length);
                if (IsKeepAlive(received))
                {
                    // RFC 5626 §4.4.1: CRLF keep-alives carry no message.
                    SipTransportMetrics.KeepAlivesReceived.Add(1);
                    continue;
                }

                // Each message owns its bytes: parsed header values are slices of this copy.
                handler(received.ToArray(), (IPEndPoint)from);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                SipTransportMetrics.ReceiveErrors.Add(1);
                if (_errorLog.TryAcquire(out var suppressed))
                {
                    _logger.LogError(ex, "SIP receive loop error ({Suppressed} similar errors suppressed)", suppressed);
                }

                if (ex is ObjectDisposedException)
                {
                    return;
                }
            }
        }
    }

    private static bool IsKeepAlive(ReadOnlySpan<byte> datagram)
    {
        foreach (var b in datagram)
        {
            if (b is not ((byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
