using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.Benchmarks.CallSetup;

/// <summary>
/// The per-call media work of call set-up and hang-up while other calls are up (issue 16: calls per second): an RTP
/// session on a leased port pair joining and leaving the shared playout ticker, and a VAD stream registered with the
/// batching scheduler and completed. The RTP figure includes binding and closing two sockets, which is the kernel's.
/// </summary>
[MemoryDiagnoser]
public class CallMediaSetup
{
    private readonly List<RtpSession> _up = [];
    private readonly IPEndPoint _peer = new(IPAddress.Loopback, 9);
    private RtpPortAllocator _ports = null!;
    private RtpPlayoutTicker _ticker = null!;
    private VadBatchScheduler _scheduler = null!;

    /// <summary>Calls already up (registered with the ticker) when one more is set up and torn down.</summary>
    [Params(0, 1000)]
    public int CallsUp { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ports = new RtpPortAllocator(Options.Create(new RtpOptions { BindAddress = "127.0.0.1", PortMin = 46000, PortMax = 51000 }));
        _ticker = new RtpPlayoutTicker(TimeProvider.System);
        for (var i = 0; i < CallsUp; i++)
        {
            if (!_ports.TryAllocate(out var lease))
            {
                throw new InvalidOperationException("RTP ports 46000-51000 are not free");
            }

            var session = new RtpSession(lease, MuLawCodec.Instance, _peer, NullSink.Instance, playoutTicker: _ticker);
            session.Start();
            _up.Add(session);
        }

        _scheduler = new VadBatchScheduler(_ => new IdleRunner(), new VadOptions { InferenceThreads = 1 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var session in _up)
        {
            session.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _scheduler.Dispose();
        _ticker.Dispose();
    }

    [Benchmark]
    public void RtpSessionUpAndDown()
    {
        if (!_ports.TryAllocate(out var lease))
        {
            throw new InvalidOperationException("no RTP port");
        }

        var session = new RtpSession(lease, MuLawCodec.Instance, _peer, NullSink.Instance, playoutTicker: _ticker);
        session.Start();
        session.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A call that ends before its VAD has anything left to score (as every short call of the rate test).</summary>
    [Benchmark]
    public void VadStreamRegisterAndComplete()
    {
        var stream = _scheduler.Register();
        stream.Complete();
    }

    private sealed class NullSink : IRtpAudioSink
    {
        public static readonly NullSink Instance = new();

        public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime)
        {
        }
    }

    /// <summary>Never asked to run here: no audio is written.</summary>
    private sealed class IdleRunner : IVadBatchRunner
    {
        private readonly float[] _input = new float[SileroVadModel.InputSamples];
        private readonly float[] _state = new float[SileroVadModel.StateSamplesPerStream];
        private readonly float[] _probabilities = new float[1];

        public int MaxBatchSize => 1;

        public SileroRate Rate => SileroRate.Wideband;

        public Span<float> Input => _input;

        public Span<float> State => _state;

        public ReadOnlySpan<float> NextState => _state;

        public ReadOnlySpan<float> Probabilities => _probabilities;

        public void Run(int batchSize)
        {
        }

        public void Dispose()
        {
        }
    }
}
