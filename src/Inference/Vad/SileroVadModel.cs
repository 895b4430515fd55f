using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using StepAudio.Telephony.Inference.Onnx;

namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// The Silero VAD v5 ONNX model at 16 or 8 kHz (<see cref="SileroRate"/>), loaded once and shared: <see cref="Run"/>
/// may be called from several threads at the same time, each with its own buffers.
/// </summary>
/// <remarks>
/// Tensor contract (checked against the model's metadata at load): <c>input float[B, 576]</c> = the last 64 samples
/// of the previous window followed by 512 new samples; <c>state float[2, B, 128]</c>; <c>sr int64</c> scalar 16000;
/// outputs <c>output float[B, 1]</c> and <c>stateN float[2, B, 128]</c>. Without the 64-sample context the model
/// scores real speech near 0. At 8 kHz the input is <c>float[B, 288]</c> (32 + 256) and <c>sr</c> is 8000; one batch
/// holds one rate.
/// </remarks>
public sealed class SileroVadModel : IDisposable
{
    /// <summary>Sample rate of the wideband shape (the constants below); <see cref="SileroRate"/> has both.</summary>
    public const int SampleRate = 16_000;

    /// <summary>New samples per window.</summary>
    public const int WindowSamples = 512;

    /// <summary>Samples of the previous window that precede each window in the input.</summary>
    public const int ContextSamples = 64;

    /// <summary>Input samples per stream per run (<see cref="ContextSamples"/> + <see cref="WindowSamples"/>).</summary>
    public const int InputSamples = ContextSamples + WindowSamples;

    /// <summary>Width of one recurrent state plane per stream.</summary>
    public const int StateWidth = 128;

    /// <summary>Floats of recurrent state per stream: two planes of <see cref="StateWidth"/>.</summary>
    public const int StateSamplesPerStream = 2 * StateWidth;

    private const string InputName = "input";
    private const string StateName = "state";
    private const string SampleRateName = "sr";
    private const string OutputName = "output";
    private const string StateOutputName = "stateN";

    private static readonly string[] InputNames = [InputName, StateName, SampleRateName];
    private static readonly string[] OutputNames = [OutputName, StateOutputName];

    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;

    // ONNX Runtime only reads inputs, so one pinned sr scalar per rate serves every run on every thread.
    private readonly OrtValue _wideRateValue;
    private readonly OrtValue _narrowRateValue;

    /// <summary>Loads the model named by <paramref name="options"/>.</summary>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="InvalidOperationException">The requested execution provider is unavailable and
    /// <see cref="VadOptions.FailIfProviderUnavailable"/> is set.</exception>
    /// <exception cref="InvalidDataException">The file is not a Silero VAD v5 model.</exception>
    public SileroVadModel(IOptions<VadOptions> options, ILogger<SileroVadModel>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        settings.Validate();
        ILogger log = logger ?? NullLogger<SileroVadModel>.Instance;

        ModelPath = settings.ResolveModelPath();
        if (!File.Exists(ModelPath))
        {
            throw new FileNotFoundException(
                $"Silero VAD model not found at '{ModelPath}'. Run scripts/fetch-vad-model.sh or set Vad:ModelPath.", ModelPath);
        }

        var sha256Prefix = Sha256Prefix(ModelPath);
        _sessionOptions = OnnxSessionOptionsFactory.Create(
            "Silero VAD", settings.ExecutionProvider, settings.FailIfProviderUnavailable, settings.IntraOpNumThreads, log, out var provider);
        try
        {
            _session = new InferenceSession(ModelPath, _sessionOptions);
            ValidateContract(_session, ModelPath);
            _runOptions = new RunOptions();
            _wideRateValue = OrtValue.CreateTensorValueFromMemory(new long[] { SileroRate.Wideband.SampleRate }, []);
            _narrowRateValue = OrtValue.CreateTensorValueFromMemory(new long[] { SileroRate.Narrowband.SampleRate }, []);
        }
        catch
        {
            _wideRateValue?.Dispose();
            _runOptions?.Dispose();
            _session?.Dispose();
            _sessionOptions.Dispose();
            throw;
        }

        ExecutionProvider = provider;
        if (log.IsEnabled(LogLevel.Information))
        {
            log.LogInformation(
                "Silero VAD model {ModelPath} (sha256 {Sha256Prefix}) loaded on the {ExecutionProvider} execution provider",
                ModelPath, sha256Prefix, provider);
        }
    }

    /// <summary>Absolute path of the loaded model.</summary>
    public string ModelPath { get; }

    /// <summary>Execution provider in use: <c>"cpu"</c> or <c>"cuda"</c>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Runs one 16 kHz window for each of <paramref name="batchSize"/> streams.</summary>
    /// <param name="input">[B, 576]: per stream, 64 context samples then 512 new samples, at 16 kHz.</param>
    /// <param name="state">[2, B, 128] in the model's layout (see <see cref="CopyStateToBatch"/>); replaced by the
    /// next state.</param>
    /// <param name="probabilities">[B]: receives each stream's speech probability.</param>
    /// <param name="batchSize">B, at least 1.</param>
    public void Run(ReadOnlySpan<float> input, Span<float> state, Span<float> probabilities, int batchSize) =>
        Run(SileroRate.Wideband, input, state, probabilities, batchSize);

    /// <summary>Runs one window at <paramref name="rate"/> for each of <paramref name="batchSize"/> streams.</summary>
    /// <param name="rate">The rate of every window of the batch.</param>
    /// <param name="input">[B, rate.InputSamples]: per stream, the context samples then the new samples.</param>
    /// <param name="state">[2, B, 128] in the model's layout; replaced by the next state.</param>
    /// <param name="probabilities">[B]: receives each stream's speech probability.</param>
    /// <param name="batchSize">B, at least 1.</param>
    public void Run(SileroRate rate, ReadOnlySpan<float> input, Span<float> state, Span<float> probabilities, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(rate);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var inputLength = batchSize * rate.InputSamples;
        var stateLength = batchSize * StateSamplesPerStream;
        if (input.Length != inputLength)
        {
            throw new ArgumentException($"Input must hold {inputLength} samples for a batch of {batchSize}.", nameof(input));
        }

        if (state.Length != stateLength)
        {
            throw new ArgumentException($"State must hold {stateLength} floats for a batch of {batchSize}.", nameof(state));
        }

        if (probabilities.Length < batchSize)
        {
            throw new ArgumentException($"Probabilities must hold at least {batchSize} floats.", nameof(probabilities));
        }

        // ONNX Runtime needs pinnable managed memory, not spans: copy into pooled arrays and wrap them in place.
        var pool = ArrayPool<float>.Shared;
        var inputBuffer = pool.Rent(inputLength);
        var stateBuffer = pool.Rent(stateLength);
        var nextStateBuffer = pool.Rent(stateLength);
        var outputBuffer = pool.Rent(batchSize);
        try
        {
            input.CopyTo(inputBuffer);
            state.CopyTo(stateBuffer);
            long[] inputShape = [batchSize, rate.InputSamples];
            long[] stateShape = [2, batchSize, StateWidth];
            var memory = OrtMemoryInfo.DefaultInstance;
            using var inputValue = OrtValue.CreateTensorValueFromMemory(memory, inputBuffer.AsMemory(0, inputLength), inputShape);
            using var stateValue = OrtValue.CreateTensorValueFromMemory(memory, stateBuffer.AsMemory(0, stateLength), stateShape);
            using var outputValue = OrtValue.CreateTensorValueFromMemory(memory, outputBuffer.AsMemory(0, batchSize), [batchSize, 1]);
            using var nextStateValue = OrtValue.CreateTensorValueFromMemory(memory, nextStateBuffer.AsMemory(0, stateLength), stateShape);

            _session.Run(_runOptions, InputNames, [inputValue, stateValue, RateValue(rate)], OutputNames, [outputValue, nextStateValue]);

            outputBuffer.AsSpan(0, batchSize).CopyTo(probabilities);
            nextStateBuffer.AsSpan(0, stateLength).CopyTo(state);
            VadMetrics.Windows.Add(batchSize);
        }
        finally
        {
            pool.Return(inputBuffer);
            pool.Return(stateBuffer);
            pool.Return(nextStateBuffer);
            pool.Return(outputBuffer);
        }
    }

    /// <summary>
    /// Binds preallocated, pinned tensors for repeated runs of one batch size (<see cref="Batching.SileroBatchRunner"/>):
    /// a run through the binding allocates no managed memory.
    /// </summary>
    internal OrtIoBinding CreateBinding(SileroRate rate, OrtValue input, OrtValue state, OrtValue output, OrtValue nextState)
    {
        var binding = _session.CreateIoBinding();
        try
        {
            binding.BindInput(InputName, input);
            binding.BindInput(StateName, state);
            binding.BindInput(SampleRateName, RateValue(rate));
            binding.BindOutput(OutputName, output);
            binding.BindOutput(StateOutputName, nextState);
            return binding;
        }
        catch
        {
            binding.Dispose();
            throw;
        }
    }

    /// <summary>Runs a binding made by <see cref="CreateBinding"/> for <paramref name="batchSize"/> streams.</summary>
    internal void Run(OrtIoBinding binding, int batchSize)
    {
        _session.RunWithBinding(_runOptions, binding);
        VadMetrics.Windows.Add(batchSize);
    }

    /// <summary>
    /// Copies one stream's state ([2, 1, 128], 256 floats) into slot <paramref name="index"/> of a batch state
    /// [2, B, 128]. The two planes of a stream are B·128 floats apart in the batch, so this is two copies, not one.
    /// </summary>
    public static void CopyStateToBatch(ReadOnlySpan<float> streamState, Span<float> batchState, int index, int batchSize)
    {
        CheckStateArguments(streamState.Length, batchState.Length, index, batchSize);
        for (var plane = 0; plane < 2; plane++)
        {
            streamState.Slice(plane * StateWidth, StateWidth)
                .CopyTo(batchState.Slice(((plane * batchSize) + index) * StateWidth, StateWidth));
        }
    }

    /// <summary>Copies slot <paramref name="index"/> of a batch state [2, B, 128] back into one stream's state.</summary>
    public static void CopyStateFromBatch(ReadOnlySpan<float> batchState, int index, int batchSize, Span<float> streamState)
    {
        CheckStateArguments(streamState.Length, batchState.Length, index, batchSize);
        for (var plane = 0; plane < 2; plane++)
        {
            batchState.Slice(((plane * batchSize) + index) * StateWidth, StateWidth)
                .CopyTo(streamState.Slice(plane * StateWidth, StateWidth));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _wideRateValue.Dispose();
        _narrowRateValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _sessionOptions.Dispose();
    }

    private OrtValue RateValue(SileroRate rate) => rate == SileroRate.Narrowband ? _narrowRateValue : _wideRateValue;

    private static void CheckStateArguments(int streamLength, int batchLength, int index, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, batchSize);
        if (streamLength != StateSamplesPerStream || batchLength != batchSize * StateSamplesPerStream)
        {
            throw new ArgumentException(
                $"A stream state holds {StateSamplesPerStream} floats and a batch state {StateSamplesPerStream} per stream.");
        }
    }

    private static void ValidateContract(InferenceSession session, string path)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        var matches =
            inputs.Count == 3 && outputs.Count == 2 &&
            inputs.TryGetValue(InputName, out var input) && input.ElementDataType == TensorElementType.Float &&
            inputs.TryGetValue(StateName, out var state) && state.ElementDataType == TensorElementType.Float &&
            inputs.TryGetValue(SampleRateName, out var sampleRate) && sampleRate.ElementDataType == TensorElementType.Int64 &&
            outputs.TryGetValue(OutputName, out var output) && output.ElementDataType == TensorElementType.Float &&
            outputs.TryGetValue(StateOutputName, out var stateOut) && stateOut.ElementDataType == TensorElementType.Float;
        if (!matches)
        {
            throw new InvalidDataException(
                $"'{path}' is not a Silero VAD v5 model: expected inputs input/state/sr and outputs output/stateN, found inputs " +
                $"[{string.Join(", ", inputs.Keys)}] and outputs [{string.Join(", ", outputs.Keys)}].");
        }
    }

    private static string Sha256Prefix(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
    }
}
