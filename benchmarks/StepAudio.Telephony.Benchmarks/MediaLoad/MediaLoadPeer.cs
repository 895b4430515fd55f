using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StepAudio.Telephony.SipGateway.Codecs;

namespace StepAudio.Telephony.Benchmarks.MediaLoad;

/// <summary>
/// The far-end half of the media load harness: one UDP socket per call that streams 20 ms µ-law packets to the
/// gateway on absolute deadlines and measures when the gateway's own packets arrive. A packet's lateness is its
/// arrival time minus the time its RTP timestamp says it was due, relative to the stream's earliest packet
/// (RFC 3550 §6.4.1's transit idea, without needing synchronised clocks).
/// </summary>
internal static class MediaLoadPeer
{
    private const int SamplesPerPacket = 160;
    private static readonly long TicksPerPacket = Stopwatch.Frequency / 50;

    public static async Task<int> RunAsync(MediaLoadArguments args)
    {
        var streams = new PeerStream[args.Calls];
        for (int i = 0; i < args.Calls; i++)
        {
            streams[i] = new PeerStream(
                new IPEndPoint(IPAddress.Loopback, args.PeerBasePort + (2 * i)),
                new IPEndPoint(IPAddress.Loopback, args.GatewayBasePort + (2 * i)),
                (uint)(0x5000 + i));
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(args.Seconds));
        var receivers = streams.Select(s => s.ReceiveAsync(stop.Token)).ToArray();
        var sender = Task.Factory.StartNew(() => SendLoop(streams, stop.Token), TaskCreationOptions.LongRunning);
        await sender;
        await Task.WhenAll(receivers);
        foreach (var stream in streams)
        {
            stream.Dispose();
        }

        Report(args, streams);
        return 0;
    }

    private static void SendLoop(PeerStream[] streams, CancellationToken token)
    {
        var payload = new byte[SamplesPerPacket];
        var tone = MediaLoadSignal.Prompt8k(TimeSpan.FromSeconds(1)).Span;
        long start = Stopwatch.GetTimestamp();
        for (long n = 0; !token.IsCancellationRequested; n++)
        {
            long due = start + (n * TicksPerPacket);
            while (Stopwatch.GetTimestamp() < due)
            {
                long remainingMs = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                Thread.Sleep(remainingMs > 1 ? (int)remainingMs - 1 : 0);
            }

            int offset = (int)(n % 50) * SamplesPerPacket;
            MuLawCodec.Instance.Encode(tone.Slice(offset, SamplesPerPacket), payload);
            foreach (var stream in streams)
            {
                stream.Send((ushort)n, (uint)(n * SamplesPerPacket), payload);
            }
        }
    }

    private static void Report(MediaLoadArguments args, PeerStream[] streams)
    {
        var lateness = streams.SelectMany(s => s.LatenessMs()).Order().ToArray();
        long received = streams.Sum(s => s.Received);
        long expected = (long)args.Calls * args.Seconds * 50;
        int streamsLate = streams.Count(s => s.LatenessMs().Any(l => l > args.LateThresholdMs));
        long packetsLate = lateness.LongCount(l => l > args.LateThresholdMs);
        Console.WriteLine(
            $"peer: calls {args.Calls}, packets from gateway {received} (≈{expected} expected in {args.Seconds} s), " +
            $"lateness p50 {Percentile(lateness, 0.50):F2} ms, p99 {Percentile(lateness, 0.99):F2} ms, " +
            $"p99.9 {Percentile(lateness, 0.999):F2} ms, max {(lateness.Length == 0 ? 0 : lateness[^1]):F2} ms");
        Console.WriteLine(
            $"peer: packets late by more than {args.LateThresholdMs} ms: {packetsLate} " +
            $"({100.0 * packetsLate / Math.Max(1, lateness.Length):F3} %), in {streamsLate} of {args.Calls} calls");
        Console.WriteLine(packetsLate == 0 && received > 0 ? "RESULT: PASS" : "RESULT: FAIL");
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private sealed class PeerStream : IDisposable
    {
        private readonly Socket _socket;
        private readonly IPEndPoint _gateway;
        private readonly uint _ssrc;
        private readonly byte[] _packet = new byte[12 + SamplesPerPacket];
        private readonly List<double> _transitMs = new(64 * 1024);

        public PeerStream(IPEndPoint local, IPEndPoint gateway, uint ssrc)
        {
            _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _socket.Bind(local);
            _gateway = gateway;
            _ssrc = ssrc;
        }

        public long Received => _transitMs.Count;

        public void Send(ushort sequence, uint timestamp, ReadOnlySpan<byte> payload)
        {
            _packet[0] = 0x80;
            _packet[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), sequence);
            BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(4), timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), _ssrc);
            payload.CopyTo(_packet.AsSpan(12));
            _socket.SendTo(_packet, _gateway);
        }

        public async Task ReceiveAsync(CancellationToken token)
        {
            var buffer = new byte[2048];
            uint? firstTimestamp = null;
            long firstArrival = 0;
            try
            {
                while (true)
                {
                    int length = await _socket.ReceiveAsync(buffer, SocketFlags.None, token);
                    long arrival = Stopwatch.GetTimestamp();
                    if (length < 12)
                    {
                        continue;
                    }

                    uint timestamp = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4));
                    firstTimestamp ??= timestamp;
                    if (firstArrival == 0)
                    {
                        firstArrival = arrival;
                    }

                    double dueMs = unchecked(timestamp - firstTimestamp.Value) / 8.0;
                    double arrivedMs = (arrival - firstArrival) * 1000.0 / Stopwatch.Frequency;
                    _transitMs.Add(arrivedMs - dueMs);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>Transit relative to the fastest packet of the stream: 0 for a packet exactly on its schedule.</summary>
        public IEnumerable<double> LatenessMs()
        {
            if (_transitMs.Count == 0)
            {
                return [];
            }

            double fastest = _transitMs.Min();
            return _transitMs.Select(t => t - fastest);
        }

        public void Dispose() => _socket.Dispose();
    }
}
