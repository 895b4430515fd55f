using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.Analytics.Outbox;

namespace StepAudio.Telephony.Benchmarks;

/// <summary>
/// What the call path pays to hand one event to the durable outbox (serialise, frame, CRC, write to the kernel),
/// and the whole trip through it (append, read back from disk, remove).
/// </summary>
[MemoryDiagnoser]
public class OutboxAppend
{
    private const int DrainAt = 100_000;

    private readonly SpeechSegmentDetected _event = new(
        Guid.NewGuid(), "3f2c9a7e-call", 7, DateTimeOffset.UnixEpoch, 12.34, 13.9, 1.56);

    private string _directory = "";
    private DiskCallEventQueue _queue = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("outbox-bench-").FullName;
        _queue = new DiskCallEventQueue(
            new OutboxOptions { Directory = _directory, MaxBytes = 1L << 30 },
            NullLogger<DiskCallEventQueue>.Instance,
            TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _queue.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public bool Append()
    {
        // Bounded disk for long runs: drop what was written, amortised over many appends.
        if (_queue.Count >= DrainAt)
        {
            while (_queue.Count > 0)
            {
                _queue.RemoveHead();
            }
        }

        return _queue.TryEnqueue(_event);
    }

    [Benchmark]
    public bool AppendPeekRemove()
    {
        _queue.TryEnqueue(_event);
        var found = _queue.TryPeek(out _);
        _queue.RemoveHead();
        return found;
    }
}
