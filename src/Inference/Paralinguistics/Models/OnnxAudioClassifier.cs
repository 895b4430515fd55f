using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using StepAudio.Telephony.Inference.Onnx;

namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>
/// The pluggable model slot: any ONNX classifier that takes 16 kHz audio as a waveform <c>f32[1, N]</c> or log-mel
/// frames <c>f32[1, T, F]</c> / <c>f32[1, F, T]</c> and outputs one score per class (<c>[1, C]</c> or <c>[C]</c>).
/// The model and its contract are checked at construction, so a wrong configuration fails at start, not mid-call.
/// <see cref="Classify"/> may run on several threads at once (ONNX Runtime sessions are thread-safe for Run).
/// </summary>
public sealed class OnnxAudioClassifier : IAudioClassifier, IDisposable
{
    private readonly AudioClassifierOptions _options;
    private readonly ClassLabelMap _labels;
    private readonly LogMelFrontEnd? _frontEnd;
    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    /// <summary>Loads and checks the configured model.</summary>
    /// <exception cref="FileNotFoundException">The model file does not exist (the message names the path).</exception>
    /// <exception cref="InvalidDataException">The file is not a loadable ONNX model, lacks the configured tensors, or
    /// its class count differs from the label map.</exception>
    /// <exception cref="InvalidOperationException">The options are invalid.</exception>
    public OnnxAudioClassifier(AudioClassifierOptions options, ILogger<OnnxAudioClassifier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            throw new InvalidOperationException("Paralinguistics:Model:ModelPath is empty: no model to load.");
        }

        options.Validate();
        _options = options;
        _labels = ClassLabelMap.Parse(options.Labels);
        ModelPath = options.ResolveModelPath();
        if (!File.Exists(ModelPath))
        {
            throw new FileNotFoundException(
                $"Paralinguistics model '{options.Name}' not found at '{ModelPath}' (Paralinguistics:Model:ModelPath).", ModelPath);
        }

        if (options.InputFormat != AudioInputFormat.Waveform)
        {
            _frontEnd = new LogMelFrontEnd(options.MelBins, options.WindowMs, options.HopMs);
        }

        ILogger log = logger ?? NullLogger<OnnxAudioClassifier>.Instance;
        _sessionOptions = OnnxSessionOptionsFactory.Create(
            $"Paralinguistics model {options.Name}", options.ExecutionProvider, options.FailIfProviderUnavailable,
            options.IntraOpNumThreads, log, out var provider);
        try
        {
            _session = LoadSession(ModelPath, _sessionOptions);
            CheckContract();
        }
        catch
        {
            _session?.Dispose();
            _sessionOptions.Dispose();
            throw;
        }

        _inputNames = [options.InputName];
        _outputNames = [options.OutputName];
        ExecutionProvider = provider;
        if (log.IsEnabled(LogLevel.Information))
        {
            log.LogInformation(
                "Paralinguistics model {Name} loaded from {ModelPath}: {InputFormat} input, {Classes} classes, mode {Mode}, on the {ExecutionProvider} execution provider",
                options.Name, ModelPath, options.InputFormat, _labels.Count, options.Mode, provider);
        }
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <summary>Absolute path of the loaded model.</summary>
    public string ModelPath { get; }

    /// <summary>Execution provider in use: <c>cpu</c> or <c>cuda</c>.</summary>
    public string ExecutionProvider { get; }

    /// <inheritdoc />
    public AudioClassification Classify(ReadOnlySpan<float> pcm16k)
    {
        var (input, shape) = BuildInput(pcm16k);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, _inputNames, [inputValue], _outputNames);
        var scores = outputs[0].GetTensorDataAsSpan<float>();
        if (scores.Length != _labels.Count)
        {
            throw new InvalidDataException(
                $"Paralinguistics model '{ModelPath}' returned {scores.Length} scores; Paralinguistics:Model:Labels lists {_labels.Count}.");
        }

        var probabilities = new double[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            probabilities[i] = float.IsFinite(scores[i]) ? scores[i] : 0;
        }

        if (_options.OutputKind == AudioOutputKind.Logits)
        {
            Softmax(probabilities);
        }

        return ToClassification(probabilities);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _sessionOptions.Dispose();
    }

    private static InferenceSession LoadSession(string path, SessionOptions sessionOptions)
    {
        try
        {
            return new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"Paralinguistics model '{path}' is not a loadable ONNX model: {e.Message}", e);
        }
    }

    private void CheckContract()
    {
        if (!_session.InputMetadata.TryGetValue(_options.InputName, out var input))
        {
            throw new InvalidDataException(
                $"Paralinguistics model '{ModelPath}' has no input '{_options.InputName}' (it has: {string.Join(", ", _session.InputMetadata.Keys)}).");
        }

        if (!_session.OutputMetadata.TryGetValue(_options.OutputName, out var output))
        {
            throw new InvalidDataException(
                $"Paralinguistics model '{ModelPath}' has no output '{_options.OutputName}' (it has: {string.Join(", ", _session.OutputMetadata.Keys)}).");
        }

        var expectedRank = _options.InputFormat == AudioInputFormat.Waveform ? 2 : 3;
        if (input.Dimensions.Length != expectedRank)
        {
            throw new InvalidDataException(
                $"Paralinguistics model '{ModelPath}' input '{_options.InputName}' has rank {input.Dimensions.Length}; {_options.InputFormat} needs rank {expectedRank}.");
        }

        var melAxis = _options.InputFormat switch { AudioInputFormat.LogMelTimeFirst => 2, AudioInputFormat.LogMelFeatureFirst => 1, _ => -1 };
        if (melAxis > 0 && input.Dimensions[melAxis] > 0 && input.Dimensions[melAxis] != _options.MelBins)
        {
            throw new InvalidDataException(
                $"Paralinguistics model '{ModelPath}' wants {input.Dimensions[melAxis]} mel bins; Paralinguistics:Model:MelBins is {_options.MelBins}.");
        }

        // A dynamic class axis (≤ 0) is checked on every run instead.
        var classes = output.Dimensions.Length == 0 ? 1 : output.Dimensions[^1];
        if (output.Dimensions.Length > 2 || (classes > 0 && classes != _labels.Count))
        {
            throw new InvalidDataException(
                $"Paralinguistics model '{ModelPath}' output '{_options.OutputName}' has shape [{string.Join(", ", output.Dimensions)}]; " +
                $"Paralinguistics:Model:Labels lists {_labels.Count} classes, so [1, {_labels.Count}] or [{_labels.Count}] is needed.");
        }
    }

    private (float[] Input, long[] Shape) BuildInput(ReadOnlySpan<float> pcm16k)
    {
        if (_frontEnd is null)
        {
            // A model cannot take an empty axis; one silent sample stands in for no audio.
            var wave = pcm16k.IsEmpty ? new float[1] : pcm16k.ToArray();
            return (wave, [1, wave.Length]);
        }

        var frames = _frontEnd.FrameCount(pcm16k.Length);
        var bins = _frontEnd.MelBins;
        var timeFirst = new float[frames * bins];
        _frontEnd.Compute(pcm16k, timeFirst);
        if (_options.InputFormat == AudioInputFormat.LogMelTimeFirst)
        {
            return (timeFirst, [1, frames, bins]);
        }

        var featureFirst = new float[timeFirst.Length];
        for (var t = 0; t < frames; t++)
        {
            for (var f = 0; f < bins; f++)
            {
                featureFirst[(f * frames) + t] = timeFirst[(t * bins) + f];
            }
        }

        return (featureFirst, [1, bins, frames]);
    }

    private AudioClassification ToClassification(double[] probabilities)
    {
        var emotions = new List<EmotionScore>();
        var events = new List<VocalEventScore>();
        double emotionTotal = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (_labels.EmotionAt(i) is { } emotion)
            {
                emotionTotal += probabilities[i];
            }
        }

        for (var i = 0; i < probabilities.Length; i++)
        {
            if (_labels.EmotionAt(i) is { } emotion)
            {
                // Several model classes may map to one label (e.g. angry and disgusted → angry): they add up.
                var share = emotionTotal > 0 ? probabilities[i] / emotionTotal : 0;
                var at = emotions.FindIndex(s => s.Label == emotion);
                if (at >= 0)
                {
                    emotions[at] = emotions[at] with { Score = emotions[at].Score + share };
                }
                else
                {
                    emotions.Add(new EmotionScore(emotion, share));
                }
            }
            else if (_labels.EventAt(i) is { } kind)
            {
                var at = events.FindIndex(s => s.Kind == kind);
                if (at >= 0)
                {
                    events[at] = events[at] with { Score = Math.Min(1, events[at].Score + probabilities[i]) };
                }
                else
                {
                    events.Add(new VocalEventScore(kind, Math.Clamp(probabilities[i], 0, 1)));
                }
            }
        }

        emotions.Sort((a, b) => b.Score.CompareTo(a.Score));
        events.Sort((a, b) => b.Score.CompareTo(a.Score));
        return new AudioClassification(emotions, events);
    }

    private static void Softmax(double[] values)
    {
        var max = values.Max();
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Exp(values[i] - max);
            sum += values[i];
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }
}
