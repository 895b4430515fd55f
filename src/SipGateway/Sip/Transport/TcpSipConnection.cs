using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// One TCP (or TLS over TCP) connection: the socket, a stream to read it, and a write lock so that whole messages from concurrent
/// senders never interleave on the wire.
/// </summary>
internal sealed class TcpSipConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private int _disposed;

    /// <param name="secured">The TLS stream of a connection we opened and already secured; null otherwise.</param>
    public TcpSipConnection(long id, Socket socket, SipTransportProtocol protocol, SslStream? secured = null)
    {
        Id = id;
        _socket = socket;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        Stream = secured ?? (Stream)new NetworkStream(socket, ownsSocket: true);
        EndPoint = new SipEndPoint(protocol, RemoteEndPoint, id);
    }

    public long Id { get; }

    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>How the handler sees this connection; responses sent here go back on it (RFC 3261 §18.2.2).</summary>
    public SipEndPoint EndPoint { get; }

    /// <summary>The socket's stream, or the TLS stream over it once secured.</summary>
    public Stream Stream { get; private set; }

    /// <summary>Whether the stream is TLS (RFC 3261 §26.2): set before the first byte of SIP is read or written.</summary>
    public bool IsSecured => Stream is SslStream;

    /// <summary>Replaces the plain stream with the TLS stream layered on it after a server handshake.</summary>
    public void Secure(SslStream secured) => Stream = secured;

    /// <summary>Cancelled when the connection is closed, by either side.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>The read loop; set once by the transport.</summary>
    public Task ReadLoop { get; set; } = Task.CompletedTask;

    /// <summary>Writes one whole message. Throws on failure or when <paramref name="timeout"/> passes (a peer that stopped reading).</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        limit.CancelAfter(timeout);
        await _writeLock.WaitAsync(limit.Token);
        try
        {
            await Stream.WriteAsync(message, limit.Token);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes the socket; pending reads and writes end with an exception. Safe to call more than once.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            _closed.Cancel();
        }
        catch (AggregateException)
        {
            // Callbacks registered on the token belong to pending I/O; their failures do not matter on close.
        }

        _socket.Dispose();
        Stream.Dispose();
        return ValueTask.CompletedTask;
    }
}
