using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>Instruments of the batching scheduler, on the process-wide "StepAudio.Telephony" meter.</summary>
internal static class VadBatchingMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "stepaudio.vad.batch.size", unit: "{window}", description: "Windows scored together in one batched VAD run.");

    public static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>(
        "stepaudio.vad.batch.duration", unit: "ms", description: "Wall time of one batched VAD run.");

    public static readonly Histogram<double> QueueLag = Meter.CreateHistogram<double>(
        "stepaudio.vad.queue.lag", unit: "ms", description: "Largest backlog of unscored audio among the streams of a batch.");

    public static readonly Counter<long> WindowsDropped = Meter.CreateCounter<long>(
        "stepaudio.vad.windows.dropped", unit: "{window}", description: "Windows given up as non-speech because their stream fell behind Vad:MaxLagMs.");

    public static readonly Counter<long> StreamsShared = Meter.CreateCounter<long>(
        "stepaudio.vad.streams.shared", unit: "{stream}", description: "Streams an inference thread that fell behind handed to an idle one.");

    public static readonly Counter<long> RunFailures = Meter.CreateCounter<long>(
        "stepaudio.vad.batch.failures", unit: "{run}", description: "Batched VAD runs that failed (their windows are retried).");
}
