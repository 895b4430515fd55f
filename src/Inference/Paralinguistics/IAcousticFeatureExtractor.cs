namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>Measures <see cref="AcousticFeatures"/> of a span of audio.</summary>
public interface IAcousticFeatureExtractor
{
    /// <summary>Analyses <paramref name="pcm16k"/> (16 kHz, float, full scale ±1). Never throws on any finite input.</summary>
    AcousticFeatures Extract(ReadOnlySpan<float> pcm16k);
}
