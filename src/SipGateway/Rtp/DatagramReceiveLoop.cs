using System.Net;
using System.Net.Sockets;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Handles one datagram in the loop's buffer; the span is only valid during the call.</summary>
internal delegate void DatagramHandler(Span<byte> datagram, SocketAddress source);

/// <summary>
/// The receive loop of a media socket (RTP, RTCP): reads datagrams into one buffer and hands each to a handler until
/// cancelled or the socket is closed. A socket error (an ICMP port unreachable from a peer that stopped listening)
/// leaves the socket usable: it is reported and followed by a short pause, so a persistently failing socket cannot
/// spin a core.
/// </summary>
internal static class DatagramReceiveLoop
{
    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(10);

    /// <param name="socket">The bound socket.</param>
    /// <param name="bufferSize">The largest datagram read whole.</param>
    /// <param name="handler">Called with each datagram; it must not throw (catch what it may).</param>
    /// <param name="onSocketError">Told of each socket error before the pause; null: the pause only.</param>
    /// <param name="time">The clock of the pause.</param>
    /// <param name="cancellationToken">Ends the loop.</param>
    public static async Task RunAsync(
        Socket socket, int bufferSize, DatagramHandler handler, Action<SocketException>? onSocketError, TimeProvider time, CancellationToken cancellationToken)
    {
        var buffer = new byte[bufferSize];
        var source = new SocketAddress(socket.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await socket.ReceiveFromAsync(buffer, SocketFlags.None, source, cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                onSocketError?.Invoke(ex);
                try
                {
                    await Task.Delay(ErrorPause, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            handler(buffer.AsSpan(0, length), source);
        }
    }
}
