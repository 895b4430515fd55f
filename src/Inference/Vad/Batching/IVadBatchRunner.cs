namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// Runs the VAD model on a batch of windows held in buffers it owns and preallocates at the largest batch size.
/// One per inference thread; not thread-safe. An interface so that tests can slow runs down or count them.
/// </summary>
public interface IVadBatchRunner : IDisposable
{
    /// <summary>Largest batch <see cref="Run"/> accepts.</summary>
    int MaxBatchSize { get; }

    /// <summary>The sample rate of every window this runner scores.</summary>
    SileroRate Rate { get; }

    /// <summary>Model input: for a batch of B, the first B·<see cref="SileroRate.InputSamples"/> floats, one stream after another.</summary>
    Span<float> Input { get; }

    /// <summary>Recurrent state: for a batch of B, the first B·256 floats in the model's [2, B, 128] layout.</summary>
    Span<float> State { get; }

    /// <summary>Next state after <see cref="Run"/>, laid out as <see cref="State"/>.</summary>
    ReadOnlySpan<float> NextState { get; }

    /// <summary>Speech probability of each stream of the batch after <see cref="Run"/>.</summary>
    ReadOnlySpan<float> Probabilities { get; }

    /// <summary>Scores the first <paramref name="batchSize"/> windows of <see cref="Input"/>.</summary>
    void Run(int batchSize);
}
