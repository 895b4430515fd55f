using StepAudio.Telephony.Inference.Onnx;

namespace StepAudio.Telephony.Inference.Vad;

/// <summary>Configuration of the Silero voice activity detector and of the speech segmenter.</summary>
/// <remarks>
/// Defaults follow Silero's own <c>get_speech_timestamps</c> (threshold 0.5, negative threshold threshold − 0.15,
/// 250 ms minimum speech) except <see cref="MinSilenceMs"/>, which is 300 ms instead of 100 ms so that the short
/// pauses of conversational speech do not split an utterance.
/// </remarks>
public sealed class VadOptions
{
    /// <summary>Configuration section name, for <c>services.Configure&lt;VadOptions&gt;(config.GetSection(...))</c>.</summary>
    public const string SectionName = "Vad";

    /// <summary>
    /// Path of the Silero VAD v5 ONNX model. A relative path is resolved against
    /// <see cref="AppContext.BaseDirectory"/> (the directory of the application's assemblies), not the current
    /// working directory, so the result does not depend on how the process was started. See
    /// <see cref="ResolveModelPath"/>. <c>scripts/fetch-vad-model.sh</c> downloads the model into
    /// <c>&lt;repo&gt;/models/</c>.
    /// </summary>
    public string ModelPath { get; set; } = "models/silero_vad_v5.onnx";

    /// <summary>
    /// ONNX Runtime execution provider: <c>"cpu"</c> or <c>"cuda"</c> (case-insensitive). CUDA needs an NVIDIA GPU with
    /// CUDA 13 and cuDNN 9 on <c>LD_LIBRARY_PATH</c>; the gateway ships the natives (Microsoft.ML.OnnxRuntime.Gpu).
    /// </summary>
    public string ExecutionProvider { get; set; } = "cpu";

    /// <summary>
    /// When the requested provider cannot be used on this host: <see langword="true"/> fails model loading,
    /// <see langword="false"/> logs one warning and uses the CPU.
    /// </summary>
    public bool FailIfProviderUnavailable { get; set; }

    /// <summary>Threads ONNX Runtime may use inside one inference run.</summary>
    public int IntraOpNumThreads { get; set; } = 1;

    /// <summary>
    /// Dedicated inference threads of the batching scheduler; each owns a share of the calls and runs their pending
    /// windows together, and one that falls behind hands streams to an idle one. −1 (the default) is one per core;
    /// 0 runs each call's windows at batch 1 on its own receive path (the original inline mode).
    /// </summary>
    public int InferenceThreads { get; set; } = -1;

    /// <summary>The number of inference threads in effect (<see cref="InferenceThreads"/> with −1 resolved).</summary>
    public int EffectiveInferenceThreads => InferenceThreads < 0 ? Math.Min(Environment.ProcessorCount, 64) : InferenceThreads;

    /// <summary>
    /// Linux nice value of the inference threads while they keep up (−20 to 19; 0, the default, leaves them as they
    /// started). Below 0 a thread gets the core when a window is due instead of waiting behind the process's pool
    /// threads, as it otherwise did for most of the time it needed (issue 15); a thread half of <see cref="MaxLagMs"/>
    /// behind goes back to its start value until it has caught up. Off by default: on a host shared with other sessions
    /// or services (the kernel's autogroups or cgroups share the cores among them first), −10 skipped fewer windows but
    /// lost RTP, and yielding when far behind was no better than 0 (README, held calls). Lowering it needs root,
    /// CAP_SYS_NICE or an RLIMIT_NICE allowance; without them the threads stay at their start value and one warning
    /// says so.
    /// </summary>
    public int InferenceThreadNice { get; set; }

    /// <summary>Most streams one batched run may hold.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// An inference thread that has caught up (woken by a new window, or done with a run that found it caught up) waits
    /// until this long after its previous run began before it runs, so that the windows of its other calls join one
    /// batch (0: run at once). Adds at most
    /// this much to a window's result; never applies to a thread that is behind (its oldest window a quarter of
    /// <see cref="MaxLagMs"/> old). Batching is what makes a window cheap on a CPU: at 10 ms a thread with 200 calls
    /// runs batches of about 60 windows instead of one or two.
    /// </summary>
    public int BatchIntervalMs { get; set; } = 10;

    /// <summary>
    /// Longest backlog of unscored audio a call may have before the scheduler gives up on its oldest windows (they
    /// count as non-speech), so that an overloaded host or one slow run never stalls a call or grows memory.
    /// </summary>
    public int MaxLagMs { get; set; } = 500;

    /// <summary>
    /// Level (RMS of a 32 ms window, dBFS) below which a window that follows non-speech is scored 0 without running
    /// the model (<see cref="SilenceGate"/>); <see langword="null"/> runs the model on every window. The default,
    /// −60 dBFS, is 30 dB or more below speech and above G.711 idle-channel noise.
    /// </summary>
    public float? SilenceGateDbfs { get; set; } = -60f;

    /// <summary>
    /// Runs the model at 8 kHz on narrowband (G.711) calls: 256-sample windows of the audio as received, about half the
    /// compute of a 16 kHz window and no resampling for the VAD. Wideband calls (G.722) always run at 16 kHz.
    /// <see langword="false"/> runs every call at 16 kHz (narrowband audio upsampled, as before issue 15).
    /// </summary>
    public bool NarrowbandAt8kHz { get; set; } = true;

    /// <summary>A window whose speech probability is at least this value is speech.</summary>
    public float Threshold { get; set; } = 0.5f;

    /// <summary>
    /// A window whose speech probability is below this value is silence; values in between keep the current state
    /// (hysteresis). <see langword="null"/> means <see cref="Threshold"/> − 0.15, as in Silero's reference code.
    /// </summary>
    public float? NegativeThreshold { get; set; }

    /// <summary>Silence that must follow speech before the segment is closed (the hangover).</summary>
    public int MinSilenceMs { get; set; } = 300;

    /// <summary>Segments whose speech (before padding) is shorter than this are dropped.</summary>
    public int MinSpeechMs { get; set; } = 250;

    /// <summary>Padding added before and after each segment's speech.</summary>
    public int SpeechPadMs { get; set; } = 30;

    /// <summary>Longest segment emitted; longer speech is split into consecutive segments.</summary>
    public int MaxSpeechSeconds { get; set; } = 30;

    /// <summary>The negative threshold in effect.</summary>
    public float EffectiveNegativeThreshold => NegativeThreshold ?? Threshold - 0.15f;

    /// <summary>Absolute model path: <see cref="ModelPath"/> as is when rooted, else under <see cref="AppContext.BaseDirectory"/>.</summary>
    public string ResolveModelPath() =>
        Path.IsPathFullyQualified(ModelPath) ? ModelPath : Path.GetFullPath(ModelPath, AppContext.BaseDirectory);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            throw new ArgumentException("Vad:ModelPath must name the Silero VAD ONNX model file.", nameof(ModelPath));
        }

        if (!OnnxSessionOptionsFactory.IsKnown(ExecutionProvider))
        {
            throw new ArgumentException(
                $"Vad:ExecutionProvider '{ExecutionProvider}' is not supported; use 'cpu' or 'cuda'.", nameof(ExecutionProvider));
        }

        if (IntraOpNumThreads < 1)
        {
            throw new ArgumentException("Vad:IntraOpNumThreads must be at least 1.", nameof(IntraOpNumThreads));
        }

        if (InferenceThreads < -1 || InferenceThreads > 64)
        {
            throw new ArgumentException("Vad:InferenceThreads must be -1 (one per core), 0 (inline) or up to 64.", nameof(InferenceThreads));
        }

        if (InferenceThreadNice < -20 || InferenceThreadNice > 19)
        {
            throw new ArgumentException("Vad:InferenceThreadNice must be between -20 and 19.", nameof(InferenceThreadNice));
        }

        if (MaxBatchSize < 1 || MaxBatchSize > 65_536)
        {
            throw new ArgumentException("Vad:MaxBatchSize must be between 1 and 65536.", nameof(MaxBatchSize));
        }

        // A wait as long as the backlog bound would drop windows that were only waiting for company.
        if (BatchIntervalMs < 0 || BatchIntervalMs > 1000 || BatchIntervalMs * 2 > MaxLagMs)
        {
            throw new ArgumentException("Vad:BatchIntervalMs must be between 0 and 1000 and at most half of Vad:MaxLagMs.", nameof(BatchIntervalMs));
        }

        // The backlog must hold at least one whole 32 ms window, or every window would be overdue at once.
        if (MaxLagMs < 64 || MaxLagMs > 60_000)
        {
            throw new ArgumentException("Vad:MaxLagMs must be between 64 and 60000.", nameof(MaxLagMs));
        }

        if (SilenceGateDbfs is { } gate && !(gate >= -120f && gate <= -20f))
        {
            throw new ArgumentException("Vad:SilenceGateDbfs must be between -120 and -20 dBFS (or empty to run the model on every window).", nameof(SilenceGateDbfs));
        }

        if (!(Threshold > 0f && Threshold < 1f))
        {
            throw new ArgumentException("Vad:Threshold must be between 0 and 1 (exclusive).", nameof(Threshold));
        }

        var negative = EffectiveNegativeThreshold;
        if (!(negative >= 0f && negative <= Threshold))
        {
            throw new ArgumentException("Vad:NegativeThreshold must be between 0 and Vad:Threshold.", nameof(NegativeThreshold));
        }

        if (MinSilenceMs < 0 || MinSpeechMs < 0 || SpeechPadMs < 0)
        {
            throw new ArgumentException("Vad:MinSilenceMs, Vad:MinSpeechMs and Vad:SpeechPadMs must not be negative.");
        }

        // A split segment must still have room for its padding and at least one window of speech.
        if ((long)MaxSpeechSeconds * 1000 < (2L * SpeechPadMs) + 64)
        {
            throw new ArgumentException("Vad:MaxSpeechSeconds is too small for the configured padding.", nameof(MaxSpeechSeconds));
        }
    }
}
