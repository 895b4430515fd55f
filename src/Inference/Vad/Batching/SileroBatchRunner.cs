using Microsoft.ML.OnnxRuntime;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// <see cref="IVadBatchRunner"/> on the shared <see cref="SileroVadModel"/>: pinned buffers of the largest batch,
/// and one I/O binding per batch size, made on first use and kept, so that a run allocates no managed memory.
/// </summary>
public sealed class SileroBatchRunner : IVadBatchRunner
{
    private readonly SileroVadModel _model;
    private readonly float[] _input;
    private readonly float[] _state;
    private readonly float[] _nextState;
    private readonly float[] _probabilities;

    // Index b − 1: the binding of batch size b and the four tensors it views (ONNX Runtime needs exact shapes).
    private readonly OrtIoBinding?[] _bindings;
    private readonly OrtValue[]?[] _values;
    private bool _disposed;

    /// <summary>Creates a runner for 16 kHz batches of up to <paramref name="maxBatchSize"/> streams.</summary>
    public SileroBatchRunner(SileroVadModel model, int maxBatchSize)
        : this(model, maxBatchSize, SileroRate.Wideband)
    {
    }

    /// <summary>Creates a runner for batches of up to <paramref name="maxBatchSize"/> windows at <paramref name="rate"/>.</summary>
    public SileroBatchRunner(SileroVadModel model, int maxBatchSize, SileroRate rate)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rate);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _model = model;
        MaxBatchSize = maxBatchSize;
        Rate = rate;

        // Pinned (POH) arrays: the tensors keep pointing at them for the runner's lifetime.
        _input = GC.AllocateArray<float>(maxBatchSize * rate.InputSamples, pinned: true);
        _state = GC.AllocateArray<float>(maxBatchSize * SileroVadModel.StateSamplesPerStream, pinned: true);
        _nextState = GC.AllocateArray<float>(maxBatchSize * SileroVadModel.StateSamplesPerStream, pinned: true);
        _probabilities = GC.AllocateArray<float>(maxBatchSize, pinned: true);
        _bindings = new OrtIoBinding?[maxBatchSize];
        _values = new OrtValue[]?[maxBatchSize];
    }

    /// <inheritdoc />
    public int MaxBatchSize { get; }

    /// <inheritdoc />
    public SileroRate Rate { get; }

    /// <inheritdoc />
    public Span<float> Input => _input;

    /// <inheritdoc />
    public Span<float> State => _state;

    /// <inheritdoc />
    public ReadOnlySpan<float> NextState => _nextState;

    /// <inheritdoc />
    public ReadOnlySpan<float> Probabilities => _probabilities;

    /// <inheritdoc />
    public void Run(int batchSize)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        _model.Run(_bindings[batchSize - 1] ?? Bind(batchSize), batchSize);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var i = 0; i < MaxBatchSize; i++)
        {
            _bindings[i]?.Dispose();
            foreach (var value in _values[i] ?? [])
            {
                value.Dispose();
            }
        }
    }

    private OrtIoBinding Bind(int batchSize)
    {
        var memory = OrtMemoryInfo.DefaultInstance;
        long[] inputShape = [batchSize, Rate.InputSamples];
        long[] stateShape = [2, batchSize, SileroVadModel.StateWidth];
        var stateLength = batchSize * SileroVadModel.StateSamplesPerStream;
        OrtValue[] values =
        [
            OrtValue.CreateTensorValueFromMemory(memory, _input.AsMemory(0, batchSize * Rate.InputSamples), inputShape),
            OrtValue.CreateTensorValueFromMemory(memory, _state.AsMemory(0, stateLength), stateShape),
            OrtValue.CreateTensorValueFromMemory(memory, _probabilities.AsMemory(0, batchSize), [batchSize, 1]),
            OrtValue.CreateTensorValueFromMemory(memory, _nextState.AsMemory(0, stateLength), stateShape),
        ];
        _values[batchSize - 1] = values;
        return _bindings[batchSize - 1] = _model.CreateBinding(Rate, values[0], values[1], values[2], values[3]);
    }
}
