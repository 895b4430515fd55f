namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>Finds non-verbal vocal sounds (sighs, laughs, …) in a span of audio. Implementations are thread-safe.</summary>
public interface IVocalEventDetector
{
    /// <summary>Detects vocal events in <paramref name="pcm16k"/>.</summary>
    /// <param name="pcm16k">The span's samples (16 kHz float).</param>
    /// <param name="start">Offset of the first sample from the start of the call's audio (events carry call time).</param>
    /// <param name="features">The span's measures, already computed.</param>
    /// <returns>Events in time order; empty when there are none.</returns>
    IReadOnlyList<VocalEvent> Detect(ReadOnlySpan<float> pcm16k, TimeSpan start, AcousticFeatures features);
}
