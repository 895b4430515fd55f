using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.Inference.Vad;

/// <summary>Counters of the voice activity detector, on the process-wide "StepAudio.Telephony" meter.</summary>
internal static class VadMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    /// <summary>32 ms windows scored by the model, summed over all streams.</summary>
    public static readonly Counter<long> Windows =
        Meter.CreateCounter<long>("stepaudio.vad.windows", unit: "{window}", description: "Audio windows scored by the VAD model.");

    /// <summary>Windows the silence gate scored 0 without the model (plainly silent audio).</summary>
    public static readonly Counter<long> WindowsGated =
        Meter.CreateCounter<long>("stepaudio.vad.windows.gated", unit: "{window}", description: "Plainly silent windows scored 0 without running the VAD model.");

    /// <summary>Speech segments completed by speech detectors.</summary>
    public static readonly Counter<long> Segments =
        Meter.CreateCounter<long>("stepaudio.vad.segments", unit: "{segment}", description: "Speech segments detected.");
}
