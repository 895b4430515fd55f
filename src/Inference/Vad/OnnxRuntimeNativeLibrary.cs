using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// Points the ONNX Runtime managed API at a native library directory of our choosing (a CUDA-enabled build placed by
/// <c>scripts/setup-gpu.sh</c>) instead of the CPU build next to the application.
/// </summary>
/// <remarks>
/// .NET resolves <c>[DllImport("onnxruntime")]</c> once, on the first ONNX Runtime call, and an assembly takes one
/// resolver for the process's lifetime; so this must run before any session or environment exists, and a second
/// directory cannot replace the first. ONNX Runtime itself then finds its provider libraries next to the core.
/// </remarks>
public static class OnnxRuntimeNativeLibrary
{
    private const string LibraryName = "onnxruntime";
    private static readonly Lock Gate = new();
    private static string? _directory;

    /// <summary>The directory in use, or <see langword="null"/> when .NET's default loading applies.</summary>
    public static string? Directory
    {
        get
        {
            lock (Gate)
            {
                return _directory;
            }
        }
    }

    /// <summary>Loads ONNX Runtime from <paramref name="directory"/> from now on. Repeating the same directory is a no-op.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory has no <c>libonnxruntime.so.1</c>.</exception>
    /// <exception cref="InvalidOperationException">Another directory is already in use.</exception>
    public static void UseDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        lock (Gate)
        {
            if (_directory is not null)
            {
                if (!string.Equals(_directory, full, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"ONNX Runtime is already loaded from '{_directory}'; it cannot also be loaded from '{full}'.");
                }

                return;
            }

            var core = Path.Combine(full, "libonnxruntime.so.1");
            if (!File.Exists(core))
            {
                throw new DirectoryNotFoundException(
                    $"Vad:NativeLibraryDirectory '{full}' has no libonnxruntime.so.1; run scripts/setup-gpu.sh.");
            }

            NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, (name, _, _) =>
                name == LibraryName ? NativeLibrary.Load(core) : IntPtr.Zero);
            _directory = full;
        }
    }
}
