using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// SIP over TCP (RFC 3261 §18): accepts a bounded number of connections, frames each stream by Content-Length
/// (§18.3), answers CRLF keep-alives (RFC 5626 §3.5.1), and sends on the connection a message belongs to, opening a
/// new one only when that connection is gone (§18.2.2). One connection's failure never touches another.
/// </summary>
public sealed class TcpSipTransport : ISipTransport
{
    private static readonly byte[] Pong = "\r\n"u8.ToArray();

    private readonly Socket _listener;
    private readonly TcpTransportOptions _options;
    private readonly string _serverName;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _errorLog = new(TimeSpan.FromSeconds(10));
    private readonly ConcurrentDictionary<long, TcpSipConnection> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TlsConnectionSecurity? _tls;
    private SipMessageHandler? _handler;
    private Task? _acceptLoop;
    private long _nextConnectionId;
    private int _connectionCount;

    /// <param name="serverName">Server header of the error responses the transport itself sends.</param>
    public TcpSipTransport(IPEndPoint bindEndPoint, TcpTransportOptions options, string serverName, ILogger<TcpSipTransport> logger)
        : this(bindEndPoint, options, serverName, logger, tls: null)
    {
    }

    /// <param name="tls">When set, every connection is TLS (RFC 3261 §26.2): handshake first, then the same framing.</param>
    internal TcpSipTransport(IPEndPoint bindEndPoint, TcpTransportOptions options, string serverName, ILogger logger, TlsConnectionSecurity? tls)
    {
        ArgumentNullException.ThrowIfNull(bindEndPoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serverName);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _serverName = serverName;
        _logger = logger;
        _tls = tls;
        _listener = new Socket(bindEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(bindEndPoint);
            _listener.Listen(512);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public SipTransportProtocol Protocol => _tls is null ? SipTransportProtocol.Tcp : SipTransportProtocol.Tls;

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Connections open now, accepted and opened together.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public void Start(SipMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Interlocked.CompareExchange(ref _handler, handler, null) is not null)
        {
            throw new InvalidOperationException("The transport is already started.");
        }

        _acceptLoop = Task.Run(() => AcceptLoopAsync(_stopping.Token));
        TcpSipTransportLog.Listening(_logger, Protocol, LocalEndPoint);
    }

    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, SipEndPoint destination, CancellationToken cancellationToken = default)
    {
        TcpSipConnection? connection = null;
        try
        {
            if (!_connections.TryGetValue(destination.ConnectionId, out connection))
            {
                // RFC 3261 §18.2.2: the request's connection is gone, so open one to the address the UAS resolved.
                connection = await ConnectAsync(destination.Address, cancellationToken);
                if (connection is null)
                {
                    TcpTransportMetrics.SendErrors.Add(1);
                    return false;
                }
            }

            await connection.SendAsync(message, _options.SendTimeout, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            TcpTransportMetrics.SendErrors.Add(1);
            if (_errorLog.TryAcquire(out var suppressed))
            {
                TcpSipTransportLog.SendFailed(_logger, ex, destination.ToString(), suppressed);
            }

            if (connection is not null)
            {
                // A half-written message has broken the framing for the peer; the connection is of no further use.
                await connection.DisposeAsync();
            }

            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        var loops = new List<Task>();
        foreach (var connection in _connections.Values)
        {
            await connection.DisposeAsync();
            loops.Add(connection.ReadLoop);
        }

        await Task.WhenAll(loops);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(cancellationToken);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (Exception ex)
            {
                // Out of descriptors or an aborted handshake: count it, and pause briefly so the loop cannot spin.
                TcpTransportMetrics.ReceiveErrors.Add(1);
                if (_errorLog.TryAcquire(out var suppressed))
                {
                    TcpSipTransportLog.AcceptFailed(_logger, ex, suppressed);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
                continue;
            }

            if (!TryReserveSlot())
            {
                TcpTransportMetrics.ConnectionsRefused.Add(1);
                socket.Dispose();
                continue;
            }

            TcpTransportMetrics.ConnectionsAccepted.Add(1);
            Register(socket);
        }
    }

    private async ValueTask<TcpSipConnection?> ConnectAsync(IPEndPoint destination, CancellationToken cancellationToken)
    {
        if (!TryReserveSlot())
        {
            return null;
        }

        var socket = new Socket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        System.Net.Security.SslStream? secured = null;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            limit.CancelAfter(_options.ConnectTimeout);
            await socket.ConnectAsync(destination, limit.Token);
            if (_tls is not null)
            {
                // RFC 3261 §26.2.1: the connection we open is TLS too; its handshake has its own bound.
                secured = await _tls.ConnectAsync(new NetworkStream(socket, ownsSocket: true), destination, _stopping.Token)
                    ?? throw new IOException("TLS handshake with " + destination + " failed.");
            }
        }
        catch
        {
            socket.Dispose();
            ReleaseSlot();
            throw;
        }

        return Register(socket, secured);
    }

    private TcpSipConnection Register(Socket socket, System.Net.Security.SslStream? secured = null)
    {
        socket.NoDelay = true;
        var connection = new TcpSipConnection(Interlocked.Increment(ref _nextConnectionId), socket, Protocol, secured);
        _connections[connection.Id] = connection;
        TcpTransportMetrics.OpenConnections.Add(1);
        connection.ReadLoop = Task.Run(() => RunConnectionAsync(connection));
        return connection;
    }

    private bool TryReserveSlot()
    {
        if (Interlocked.Increment(ref _connectionCount) <= _options.MaxConnections)
        {
            return true;
        }

        Interlocked.Decrement(ref _connectionCount);
        return false;
    }

    private void ReleaseSlot() => Interlocked.Decrement(ref _connectionCount);

    private async Task RunConnectionAsync(TcpSipConnection connection)
    {
        if (_tls is not null && !connection.IsSecured)
        {
            // The handshake runs here, not in the accept loop, so a client that never finishes it holds only its own
            // slot, and only until the handshake timeout (counted as sip.tls.handshake_failures).
            using var closing = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, connection.Closed);
            var secured = await _tls.AcceptAsync(connection.Stream, connection.RemoteEndPoint, closing.Token);
            if (secured is null)
            {
                await ReleaseAsync(connection);
                return;
            }

            connection.Secure(secured);
        }

        var reader = PipeReader.Create(connection.Stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true));
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, connection.Closed);
        try
        {
            while (true)
            {
                // Any bytes, a keep-alive included, restart the idle timer.
                idle.CancelAfter(_options.IdleTimeout);
                var result = await reader.ReadAsync(idle.Token);
                var outcome = Drain(connection, result.Buffer);
                reader.AdvanceTo(outcome.Consumed, result.Buffer.End);
                for (var i = 0; i < outcome.Pings; i++)
                {
                    await connection.SendAsync(Pong, _options.SendTimeout, idle.Token);
                }

                if (outcome.ErrorResponse is { } response)
                {
                    await connection.SendAsync(response, _options.SendTimeout, idle.Token);
                }

                if (outcome.Close || result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Idle timeout, shutdown, or closed by a failed send: all end the connection quietly.
        }
        catch (Exception ex)
        {
            if (ex is not (IOException or SocketException or ObjectDisposedException))
            {
                TcpTransportMetrics.ReceiveErrors.Add(1);
                if (_errorLog.TryAcquire(out var suppressed))
                {
                    TcpSipTransportLog.ReceiveFailed(_logger, ex, connection.EndPoint.ToString(), suppressed);
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
            await ReleaseAsync(connection);
        }
    }

    private async Task ReleaseAsync(TcpSipConnection connection)
    {
        await connection.DisposeAsync();
        if (_connections.TryRemove(connection.Id, out _))
        {
            ReleaseSlot();
            TcpTransportMetrics.OpenConnections.Add(-1);
        }
    }

    /// <summary>Hands every complete message in <paramref name="buffer"/> to the handler and says what to do next.</summary>
    private DrainOutcome Drain(TcpSipConnection connection, ReadOnlySequence<byte> buffer)
    {
        var pings = 0;
        while (true)
        {
            var frame = TcpSipFramer.Next(buffer, _options.MaxHeaderBytes, _options.MaxMessageBytes);
            switch (frame.Kind)
            {
                case TcpFrameKind.NeedMore:
                    return new DrainOutcome(buffer.Start, pings, null, Close: false);
                case TcpFrameKind.Ping:
                    TcpTransportMetrics.KeepAlivesReceived.Add(1);
                    pings++;
                    buffer = buffer.Slice(frame.Length);
                    break;
                case TcpFrameKind.Skip:
                    buffer = buffer.Slice(frame.Length);
                    break;
                case TcpFrameKind.Message:
                    // Each message owns its bytes: parsed header values are slices of this copy.
                    var message = buffer.Slice(0, frame.Length).ToArray();
                    buffer = buffer.Slice(frame.Length);
                    TcpTransportMetrics.MessagesReceived.Add(1);
                    Deliver(message, connection.EndPoint);
                    break;
                default:
                    return new DrainOutcome(buffer.Start, pings, FramingError(connection, buffer, frame), Close: true);
            }
        }
    }

    private byte[]? FramingError(TcpSipConnection connection, ReadOnlySequence<byte> buffer, TcpFrame frame)
    {
        TcpTransportMetrics.FramingErrors.Add(1);
        if (_errorLog.TryAcquire(out var suppressed))
        {
            TcpSipTransportLog.FramingError(_logger, connection.EndPoint.ToString(), frame.StatusCode, frame.Reason!, suppressed);
        }

        return frame.HeaderLength > 0
            ? TcpFramingErrorResponse.Create(buffer.Slice(0, frame.HeaderLength).ToArray(), frame.StatusCode, frame.Reason!, _serverName)
            : null;
    }

    private void Deliver(byte[] message, SipEndPoint remote)
    {
        try
        {
            _handler!(message, remote);
        }
        catch (Exception ex)
        {
            // The handler is expected to contain its own failures; this keeps the connection alive if it does not.
            TcpTransportMetrics.ReceiveErrors.Add(1);
            if (_errorLog.TryAcquire(out var suppressed))
            {
                TcpSipTransportLog.ReceiveFailed(_logger, ex, remote.ToString(), suppressed);
            }
        }
    }

    private readonly record struct DrainOutcome(SequencePosition Consumed, int Pings, byte[]? ErrorResponse, bool Close);
}
