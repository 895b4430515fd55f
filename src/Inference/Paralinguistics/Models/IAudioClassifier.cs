namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>A model that scores a span of audio over our emotion labels and vocal-event kinds. Thread-safe.</summary>
public interface IAudioClassifier
{
    /// <summary>Name reported as the source of its judgements.</summary>
    string Name { get; }

    /// <summary>Scores <paramref name="pcm16k"/> (16 kHz float).</summary>
    AudioClassification Classify(ReadOnlySpan<float> pcm16k);
}
