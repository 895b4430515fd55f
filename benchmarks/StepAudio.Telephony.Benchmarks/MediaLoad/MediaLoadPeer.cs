using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StepAudio.Telephony.SipGateway.Codecs;

namespace StepAudio.Telephony.Benchmarks.MediaLoad;

/// <summary>
/// The far-end half of the media load harness: streams 20 ms µ-law packets to every gateway session on absolute
/// deadlines and measures when the gateway's own packets arrive. One socket and one receiving thread serve all calls
/// (streams are told apart by the gateway port they come from), so the far end's own scheduling adds as little as
/// possible to what is measured. A packet's lateness is its arrival time minus the time its RTP timestamp says it was
/// due, relative to the stream's fastest packet (RFC 3550 §6.4.1's transit idea, without synchronised clocks). The
/// first <see cref="WarmUpSeconds"/> of each stream are left out: both processes are still compiling their hot paths.
/// </summary>
internal static class MediaLoadPeer
{
    private const int SamplesPerPacket = 160;
    private const int WarmUpSeconds = 2;
    private static readonly long TicksPerPacket = Stopwatch.Frequency / 50;

    public static Task<int> RunAsync(MediaLoadArguments args)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 << 20;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, args.PeerBasePort));
        var streams = new StreamLateness[args.Calls];
        for (int i = 0; i < streams.Length; i++)
        {
            streams[i] = new StreamLateness(args.Seconds * 50);
        }

        long stopAt = Stopwatch.GetTimestamp() + (args.Seconds * Stopwatch.Frequency);
        var receiver = new Thread(() => Receive(socket, args, streams, stopAt)) { Name = "peer receive" };
        receiver.Start();
        Send(socket, args, stopAt);
        receiver.Join();
        Report(args, streams);
        return Task.FromResult(0);
    }

    private static void Send(Socket socket, MediaLoadArguments args, long stopAt)
    {
        var packet = new byte[12 + SamplesPerPacket];
        var signal = MediaLoadSignal.Prompt8k(TimeSpan.FromSeconds(1)).Span;
        var targets = Enumerable.Range(0, args.Calls)
            .Select(i => new IPEndPoint(IPAddress.Loopback, args.GatewayBasePort + (2 * i)).Serialize())
            .ToArray();
        long start = Stopwatch.GetTimestamp();
        for (long n = 0; ; n++)
        {
            long due = start + (n * TicksPerPacket);
            if (due >= stopAt)
            {
                return;
            }

            while (Stopwatch.GetTimestamp() < due)
            {
                long remainingMs = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                Thread.Sleep(remainingMs > 1 ? (int)remainingMs - 1 : 0);
            }

            packet[0] = 0x80;
            packet[1] = 0; // PCMU
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)n);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(n * SamplesPerPacket));
            MuLawCodec.Instance.Encode(signal.Slice((int)(n % 50) * SamplesPerPacket, SamplesPerPacket), packet.AsSpan(12));
            for (int i = 0; i < targets.Length; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), (uint)(0x5000 + i));
                socket.SendTo(packet, SocketFlags.None, targets[i]);
            }
        }
    }

    private static void Receive(Socket socket, MediaLoadArguments args, StreamLateness[] streams, long stopAt)
    {
        var buffer = new byte[2048];
        var source = new SocketAddress(AddressFamily.InterNetwork);
        socket.ReceiveTimeout = 100;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            int length;
            try
            {
                length = socket.ReceiveFrom(buffer, SocketFlags.None, source);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.ConnectionReset)
            {
                continue;
            }

            long arrival = Stopwatch.GetTimestamp();
            int port = BinaryPrimitives.ReadUInt16BigEndian(source.Buffer.Span[2..]);
            int index = (port - args.GatewayBasePort) / 2;
            if (length >= 12 && (uint)index < (uint)streams.Length)
            {
                streams[index].Add(BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)), arrival);
            }
        }
    }

    private static void Report(MediaLoadArguments args, StreamLateness[] streams)
    {
        var lateness = streams.SelectMany(s => s.LatenessMs()).Order().ToArray();
        long received = streams.Sum(s => s.Received);
        long expected = (long)args.Calls * args.Seconds * 50;
        int streamsLate = streams.Count(s => s.LatenessMs().Any(l => l > args.LateThresholdMs));
        long packetsLate = lateness.LongCount(l => l > args.LateThresholdMs);
        Console.WriteLine(
            $"peer: calls {args.Calls}, packets from gateway {received} (≈{expected} expected in {args.Seconds} s; " +
            $"lateness over the last {args.Seconds - WarmUpSeconds} s), " +
            $"lateness p50 {Percentile(lateness, 0.50):F2} ms, p99 {Percentile(lateness, 0.99):F2} ms, " +
            $"p99.9 {Percentile(lateness, 0.999):F2} ms, max {(lateness.Length == 0 ? 0 : lateness[^1]):F2} ms");
        Console.WriteLine(
            $"peer: packets late by more than {args.LateThresholdMs} ms: {packetsLate} " +
            $"({100.0 * packetsLate / Math.Max(1, lateness.Length):F3} %), in {streamsLate} of {args.Calls} calls");
        Console.WriteLine(packetsLate == 0 && received >= expected * 9 / 10 ? "RESULT: PASS" : "RESULT: FAIL");
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>Transit times of one gateway stream (arrival minus due time, in ms, from its first packet).</summary>
    private sealed class StreamLateness(int capacity)
    {
        private readonly List<double> _transitMs = new(capacity);
        private uint _firstTimestamp;
        private long _firstArrival;

        public long Received { get; private set; }

        public void Add(uint timestamp, long arrival)
        {
            if (Received++ == 0)
            {
                _firstTimestamp = timestamp;
                _firstArrival = arrival;
            }

            double dueMs = unchecked(timestamp - _firstTimestamp) / 8.0;
            double arrivedMs = (arrival - _firstArrival) * 1000.0 / Stopwatch.Frequency;
            if (dueMs >= WarmUpSeconds * 1000)
            {
                _transitMs.Add(arrivedMs - dueMs);
            }
        }

        /// <summary>Transit relative to the fastest packet: 0 for a packet exactly on its schedule.</summary>
        public IEnumerable<double> LatenessMs()
        {
            if (_transitMs.Count == 0)
            {
                return [];
            }

            double fastest = _transitMs.Min();
            return _transitMs.Select(t => t - fastest);
        }
    }
}
