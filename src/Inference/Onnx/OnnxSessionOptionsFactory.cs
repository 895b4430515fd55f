using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace StepAudio.Telephony.Inference.Onnx;

/// <summary>
/// Session options for every ONNX model the gateway runs (the VAD, the paralinguistics model slot): the thread
/// settings of this host and the execution provider asked for, with one rule when CUDA cannot be used: fall back to
/// the CPU with one warning line, or refuse when the configuration says so.
/// </summary>
/// <remarks>
/// The gateway ships the <c>Microsoft.ML.OnnxRuntime.Gpu</c> natives: a CUDA-enabled core whose CUDA provider links
/// CUDA 13 and cuDNN 9. On a host without them <c>AppendExecutionProvider_CUDA</c> throws
/// <see cref="OnnxRuntimeException"/> ("Failed to load shared library"); with the CPU-only natives (tests, the CLI)
/// the provider is not even listed, and older managed/native pairs throw <see cref="EntryPointNotFoundException"/>.
/// All three mean "no CUDA here".
/// </remarks>
public static class OnnxSessionOptionsFactory
{
    /// <summary>Name of the CPU execution provider in configuration.</summary>
    public const string Cpu = "cpu";

    /// <summary>Name of the CUDA execution provider in configuration.</summary>
    public const string Cuda = "cuda";

    /// <summary>Whether <paramref name="provider"/> names a provider this factory knows (case-insensitive).</summary>
    public static bool IsKnown(string? provider) => IsCpu(provider) || IsCuda(provider);

    /// <summary>Whether <paramref name="provider"/> is <c>cuda</c> (case-insensitive).</summary>
    public static bool IsCuda(string? provider) => string.Equals(provider, Cuda, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="provider"/> is <c>cpu</c> (case-insensitive).</summary>
    public static bool IsCpu(string? provider) => string.Equals(provider, Cpu, StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates session options for one model.</summary>
    /// <param name="model">What the session runs, for the log line and the error (for example <c>Silero VAD</c>).</param>
    /// <param name="provider"><c>cpu</c> or <c>cuda</c>.</param>
    /// <param name="failIfUnavailable">Refuse rather than fall back to the CPU when CUDA cannot be used.</param>
    /// <param name="intraOpThreads">Threads one run may use.</param>
    /// <param name="logger">Receives the one fallback line.</param>
    /// <param name="chosen">The provider in use: <c>cpu</c> or <c>cuda</c>.</param>
    /// <exception cref="InvalidOperationException">CUDA was asked for, cannot be used, and
    /// <paramref name="failIfUnavailable"/> is set.</exception>
    public static SessionOptions Create(
        string model, string provider, bool failIfUnavailable, int intraOpThreads, ILogger logger, out string chosen)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, intraOpThreads),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };

        try
        {
            // Spinning threads burn a core between tiny runs; this host shares few cores among many calls.
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            chosen = Cpu;
            if (!IsCuda(provider))
            {
                return options;
            }

            if (TryAppendCuda(options, out var reason))
            {
                chosen = Cuda;
                return options;
            }

            if (failIfUnavailable)
            {
                throw new InvalidOperationException(
                    $"{model}: the CUDA execution provider was requested but cannot be used ({reason}). It needs an NVIDIA " +
                    "GPU with CUDA 13 and cuDNN 9 on LD_LIBRARY_PATH; or set the ExecutionProvider to 'cpu'.");
            }

            logger.LogWarning(
                "{Model}: CUDA execution provider requested but unavailable, running on the CPU instead ({Reason}; it needs an NVIDIA GPU with CUDA 13 and cuDNN 9 on LD_LIBRARY_PATH)",
                model, reason);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private static bool TryAppendCuda(SessionOptions options, out string reason)
    {
        try
        {
            if (!OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider", StringComparer.Ordinal))
            {
                reason = "this ONNX Runtime build has no CUDAExecutionProvider";
                return false;
            }

            // ORT would also print its own multi-line error for the missing CUDA libraries; the one line is ours.
            var env = OrtEnv.Instance();
            var level = env.EnvLogLevel;
            env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            try
            {
                options.AppendExecutionProvider_CUDA(0);
            }
            finally
            {
                env.EnvLogLevel = level;
            }

            reason = string.Empty;
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or OnnxRuntimeException or DllNotFoundException)
        {
            // ORT's message for a missing CUDA library is long and multi-line; its first line names the library.
            reason = e.Message.Split('\n', 2)[0].Trim();
            return false;
        }
    }
}
