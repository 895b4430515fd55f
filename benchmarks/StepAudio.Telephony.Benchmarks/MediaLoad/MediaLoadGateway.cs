using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Resampling;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.Benchmarks.MediaLoad;

/// <summary>
/// The gateway half of the media load harness: N real <see cref="RtpSession"/>s on loopback, each decoding and
/// resampling the peer's audio exactly as a call does (G.711 → float → 8→16 kHz) and playing a prompt back through
/// <see cref="RtpAudioPlayer"/>. Run it pinned to one core (the script uses taskset) so CPU per call means one core.
/// </summary>
internal static class MediaLoadGateway
{
    public static async Task<int> RunAsync(MediaLoadArguments args)
    {
        var allocator = new RtpPortAllocator(Options.Create(new RtpOptions
        {
            BindAddress = "127.0.0.1",
            PortMin = args.GatewayBasePort,
            PortMax = args.GatewayBasePort + (2 * args.Calls) + 1,
        }));
        var prompt = MediaLoadSignal.Prompt8k(TimeSpan.FromSeconds(args.Seconds + 5));
        var sessions = new List<(RtpSession Session, ResamplingSink Sink)>(args.Calls);
        using var stop = new CancellationTokenSource();
        var players = new List<Task>(args.Calls);
        for (int i = 0; i < args.Calls; i++)
        {
            if (!allocator.TryAllocate(out var lease))
            {
                Console.Error.WriteLine($"error: no RTP port for call {i}; is the range {args.GatewayBasePort}+ free?");
                return 1;
            }

            // One far-end socket serves every call; the harness's peer tells streams apart by our port.
            var peer = new IPEndPoint(IPAddress.Loopback, args.PeerBasePort);
            var sink = new ResamplingSink();
            var session = new RtpSession(lease, MuLawCodec.Instance, peer, sink);
            session.Start();
            sessions.Add((session, sink));
            players.Add(PlayAsync(session, prompt, stop.Token));
        }

        Console.Error.WriteLine("gateway ready");
        Console.WriteLine($"gateway: media clock under the real-time scheduler: {(MediaClock.Shared.IsRealTime ? "yes" : "no (needs root or CAP_SYS_NICE)")}");
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var gcPauseBefore = GC.GetTotalPauseDuration();
        int gcBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(args.Seconds));
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var elapsed = clock.Elapsed;
        var gcPause = GC.GetTotalPauseDuration() - gcPauseBefore;
        int collections = GC.CollectionCount(0) - gcBefore;
        await stop.CancelAsync();
        await Task.WhenAll(players);

        long received = 0, delivered = 0, lost = 0, sent = 0;
        foreach (var (session, _) in sessions)
        {
            var s = session.GetStatistics();
            received += s.PacketsReceived;
            delivered += s.FramesDelivered;
            lost += s.PacketsLost;
            sent += s.PacketsSent;
            await session.DisposeAsync();
        }

        double callMinutes = args.Calls * elapsed.TotalMinutes;
        Console.WriteLine(
            $"gateway: calls {args.Calls}, {elapsed.TotalSeconds:F1} s, CPU {cpu.TotalSeconds:F2} s " +
            $"({100 * cpu.TotalSeconds / elapsed.TotalSeconds:F1} % of one core), " +
            $"{cpu.TotalSeconds / callMinutes:F3} CPU-s per call-minute, " +
            $"{1e6 * cpu.TotalSeconds / Math.Max(1, delivered + sent):F1} µs CPU per packet in or out, " +
            $"peak RSS {process.PeakWorkingSet64 / (1024 * 1024)} MB");
        Console.WriteLine($"gateway: RTP in {received}, frames decoded+resampled {delivered}, lost {lost}, RTP out {sent}");
        Console.WriteLine($"gateway: {collections} garbage collections, {gcPause.TotalMilliseconds:F1} ms paused in all");
        return 0;
    }

    private static async Task PlayAsync(RtpSession session, ReadOnlyMemory<short> prompt, CancellationToken token)
    {
        try
        {
            await new RtpAudioPlayer(session).PlayAsync(prompt, token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>What a call does with caller audio before analysis: to float, then 8 → 16 kHz.</summary>
    private sealed class ResamplingSink : IRtpAudioSink
    {
        private readonly Upsampler8kTo16k _upsampler = new();
        private readonly float[] _narrow = new float[RtpSession.MaxSamplesPerPacket];
        private readonly float[] _wide = new float[2 * RtpSession.MaxSamplesPerPacket];

        public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime)
        {
            var narrow = _narrow.AsSpan(0, pcm.Length);
            PcmConversion.ToFloat(pcm, narrow);
            _upsampler.Process(narrow, _wide.AsSpan(0, 2 * pcm.Length));
        }
    }
}
