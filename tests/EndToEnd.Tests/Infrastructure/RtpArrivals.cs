using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A caller's media port on loopback that stamps each RTP packet it receives (version 2, not RTCP's payload types) with
/// the time this process read it; sipp is pointed at <see cref="Port"/> so the gateway's RTP lands here.
/// </summary>
internal sealed class RtpArrivals : IAsyncDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly ConcurrentQueue<DateTimeOffset> _arrivals = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;

    public RtpArrivals()
    {
        Port = ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;
        _receiving = ReceiveAsync();
    }

    public int Port { get; }

    /// <summary>When each packet was read, in arrival order.</summary>
    public IReadOnlyCollection<DateTimeOffset> Times => _arrivals;

    /// <summary>Stops listening; <see cref="Times"/> no longer changes afterwards.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _receiving;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveAsync()
    {
        try
        {
            while (true)
            {
                var packet = await _socket.ReceiveAsync(_stop.Token);
                // RFC 3550 §5.1: version 2; RFC 5761 §4: RTCP's packet types 200-204 read as payload types 72-76.
                if (packet.Buffer.Length >= 12 && packet.Buffer[0] >> 6 == 2 && (packet.Buffer[1] & 0x7f) < 64)
                {
                    _arrivals.Enqueue(DateTimeOffset.UtcNow);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
