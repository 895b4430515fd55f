using StepAudio.Telephony.Inference.Onnx;

namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>
/// The pluggable model slot (section <c>Paralinguistics:Model</c>): an ONNX audio classifier whose classes map onto
/// our emotion labels and vocal-event kinds. Disabled while <see cref="ModelPath"/> is empty.
/// </summary>
public sealed class AudioClassifierOptions
{
    /// <summary>Name reported as the estimate's source (<see cref="EmotionEstimate.Source"/>).</summary>
    public string Name { get; set; } = "model";

    /// <summary>ONNX file; relative paths are resolved against <see cref="AppContext.BaseDirectory"/>. Empty disables the slot.</summary>
    public string? ModelPath { get; set; }

    /// <summary>What the model takes as input.</summary>
    public AudioInputFormat InputFormat { get; set; } = AudioInputFormat.Waveform;

    /// <summary>Name of the input tensor.</summary>
    public string InputName { get; set; } = "input";

    /// <summary>Name of the output tensor (<c>[1, C]</c> or <c>[C]</c>).</summary>
    public string OutputName { get; set; } = "output";

    /// <summary>Whether the output is logits (softmax applied here) or probabilities.</summary>
    public AudioOutputKind OutputKind { get; set; } = AudioOutputKind.Logits;

    /// <summary>
    /// One entry per model class, in the model's order: an emotion (<c>neutral</c>, <c>happy</c>, <c>sad</c>,
    /// <c>angry</c>, <c>frustrated</c>), a vocal event (<c>sigh</c>, <c>laugh</c>, <c>gasp</c>, <c>throat_clear</c>,
    /// <c>cough</c>, <c>crying</c>) or <c>ignore</c> (a class we do not report, e.g. "fearful"). Its length must equal
    /// the model's class count.
    /// </summary>
    public IList<string> Labels { get; } = [];

    /// <summary>Whether the model replaces or joins the acoustic judgement.</summary>
    public AudioClassifierMode Mode { get; set; } = AudioClassifierMode.Join;

    /// <summary>Weight of the model in <see cref="AudioClassifierMode.Join"/> (acoustic gets 1 − weight), 0–1.</summary>
    public double JoinWeight { get; set; } = 0.5;

    /// <summary>A vocal-event class reports an event when its probability (after mode combination) reaches this.</summary>
    public double EventThreshold { get; set; } = 0.5;

    /// <summary>Mel bands of the log-mel front end.</summary>
    public int MelBins { get; set; } = 80;

    /// <summary>Analysis window of the log-mel front end.</summary>
    public double WindowMs { get; set; } = 25;

    /// <summary>Hop of the log-mel front end.</summary>
    public double HopMs { get; set; } = 10;

    /// <summary>Threads ONNX Runtime may use inside one run.</summary>
    public int IntraOpNumThreads { get; set; } = 1;

    /// <summary>ONNX Runtime execution provider: <c>cpu</c> or <c>cuda</c> (as <c>Vad:ExecutionProvider</c>).</summary>
    public string ExecutionProvider { get; set; } = OnnxSessionOptionsFactory.Cpu;

    /// <summary>Refuse to start, rather than run on the CPU, when CUDA was asked for and cannot be used.</summary>
    public bool FailIfProviderUnavailable { get; set; }

    /// <summary>Whether a model is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(ModelPath);

    /// <summary>Absolute model path.</summary>
    public string ResolveModelPath() =>
        Path.IsPathRooted(ModelPath) ? ModelPath! : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, ModelPath ?? string.Empty));

    /// <summary>Throws when a value is out of range, naming the key.</summary>
    public void Validate()
    {
        const string Prefix = ParalinguisticsOptions.SectionName + ":Model:";
        if (Labels.Count == 0)
        {
            throw new InvalidOperationException($"{Prefix}{nameof(Labels)} must list one label per model class.");
        }

        if (JoinWeight is < 0 or > 1 || double.IsNaN(JoinWeight))
        {
            throw new InvalidOperationException($"{Prefix}{nameof(JoinWeight)} must be 0–1 (got {JoinWeight}).");
        }

        if (EventThreshold is < 0 or > 1 || double.IsNaN(EventThreshold))
        {
            throw new InvalidOperationException($"{Prefix}{nameof(EventThreshold)} must be 0–1 (got {EventThreshold}).");
        }

        if (MelBins is < 8 or > 256)
        {
            throw new InvalidOperationException($"{Prefix}{nameof(MelBins)} must be 8–256 (got {MelBins}).");
        }

        if (WindowMs is < 5 or > 100 || HopMs <= 0 || HopMs > WindowMs)
        {
            throw new InvalidOperationException($"{Prefix}{nameof(WindowMs)} must be 5–100 ms and {nameof(HopMs)} in (0, window].");
        }

        if (string.IsNullOrWhiteSpace(InputName) || string.IsNullOrWhiteSpace(OutputName))
        {
            throw new InvalidOperationException($"{Prefix}{nameof(InputName)} and {nameof(OutputName)} must be set.");
        }

        if (!OnnxSessionOptionsFactory.IsKnown(ExecutionProvider))
        {
            throw new InvalidOperationException($"{Prefix}{nameof(ExecutionProvider)} must be 'cpu' or 'cuda' (got '{ExecutionProvider}').");
        }

        _ = ClassLabelMap.Parse(Labels);
    }
}
