using System.Globalization;
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
/// The managed API asks the native library for the C API version of its own release (1.31 asks for 31) and fails
/// for good, in a type initializer, when the library is older; so the library's version is checked first, and an
/// unusable library is never bound, leaving the CPU build available.
/// </remarks>
public static class OnnxRuntimeNativeLibrary
{
    private const string LibraryName = "onnxruntime";
    private const string CoreFileName = "libonnxruntime.so.1";
    private static readonly Lock Gate = new();
    private static string? _directory;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr OrtGetApiBase();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr OrtGetVersionString();

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

    /// <summary>C API version the managed ONNX Runtime API requires (the minor version of its release).</summary>
    public static int RequiredApiVersion => typeof(OrtEnv).Assembly.GetName().Version?.Minor ?? 0;

    /// <summary>
    /// Loads ONNX Runtime from <paramref name="directory"/> from now on, when it holds a library the managed API can
    /// use. Repeating the directory in use is a no-op.
    /// </summary>
    /// <param name="directory">Directory holding <c>libonnxruntime.so.1</c>.</param>
    /// <param name="reason">Why the directory cannot be used, when the result is <see langword="false"/>.</param>
    public static bool TryUseDirectory(string directory, out string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        lock (Gate)
        {
            if (_directory is not null)
            {
                reason = string.Equals(_directory, full, StringComparison.Ordinal)
                    ? string.Empty
                    : $"ONNX Runtime is already loaded from '{_directory}'; it cannot also be loaded from '{full}'";
                return reason.Length == 0;
            }

            var core = Path.Combine(full, CoreFileName);
            if (!File.Exists(core))
            {
                reason = $"'{full}' has no {CoreFileName}; run scripts/setup-gpu.sh";
                return false;
            }

            if (!TryReadVersion(core, out var version, out reason))
            {
                return false;
            }

            if (version.Minor < RequiredApiVersion)
            {
                reason = string.Create(
                    CultureInfo.InvariantCulture,
                    $"'{core}' is ONNX Runtime {version}, older than the managed API {typeof(OrtEnv).Assembly.GetName().Version} (C API {RequiredApiVersion}) needs");
                return false;
            }

            NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, (name, _, _) =>
                name == LibraryName ? NativeLibrary.Load(core) : IntPtr.Zero);
            _directory = full;
            reason = string.Empty;
            return true;
        }
    }

    private static bool TryReadVersion(string core, out Version version, out string reason)
    {
        version = new Version();
        IntPtr handle;
        try
        {
            handle = NativeLibrary.Load(core);
        }
        catch (DllNotFoundException ex)
        {
            reason = $"'{core}' cannot be loaded: {ex.Message}";
            return false;
        }

        try
        {
            // OrtApiBase is { GetApi, GetVersionString }: reading the version does not ask for any API version.
            if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out var getApiBase))
            {
                reason = $"'{core}' is not ONNX Runtime (no OrtGetApiBase)";
                return false;
            }

            var apiBase = Marshal.GetDelegateForFunctionPointer<OrtGetApiBase>(getApiBase)();
            var getVersion = Marshal.GetDelegateForFunctionPointer<OrtGetVersionString>(Marshal.ReadIntPtr(apiBase, IntPtr.Size));
            var text = Marshal.PtrToStringUTF8(getVersion()) ?? string.Empty;
            if (!Version.TryParse(text, out var parsed))
            {
                reason = $"'{core}' reports an unreadable version '{text}'";
                return false;
            }

            version = parsed;
            reason = string.Empty;
            return true;
        }
        finally
        {
            // Unbound: if it is not used, the CPU build must be free to load under the same soname.
            NativeLibrary.Free(handle);
        }
    }
}
