using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// Sets the Linux nice value of the calling thread (<see cref="VadOptions.InferenceThreadNice"/>). .NET's
/// <see cref="Thread.Priority"/> has no effect on Linux, and the kernel's fair scheduler shares a core equally among
/// the runnable threads: an inference thread that needs a quarter of a core waited behind the gateway's pool threads
/// and other processes and fell half a second behind (issue 15). A lower nice value gives it a larger share whenever it
/// has work; it sleeps when it has none, so it takes nothing from the others then.
/// </summary>
internal static partial class InferenceThreadNice
{
    private const int PrioProcess = 0;

    /// <summary>
    /// Sets the calling inference thread to <paramref name="nice"/> (0: leaves it as it is). When refused, the first
    /// thread of a scheduler (<c>vad-inference-0</c>) logs one warning for all of them.
    /// </summary>
    public static void Apply(int nice, ILogger logger, string thread)
    {
        if (nice == 0)
        {
            return;
        }

        var errno = TrySetForCurrentThread(nice);
        if (errno != 0 && thread.EndsWith("-0", StringComparison.Ordinal))
        {
            VadBatchingLog.NiceNotSet(logger, thread, nice, errno);
        }
    }

    /// <summary>Tries to set the calling thread's nice value (−20 to 19).</summary>
    /// <returns>0 when set; otherwise the errno (EACCES/EPERM: lowering it needs root, CAP_SYS_NICE or RLIMIT_NICE), or −1 off Linux.</returns>
    public static int TrySetForCurrentThread(int nice)
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        try
        {
            // On Linux the nice value belongs to a thread, and who = 0 names the calling one (setpriority(2), NOTES).
            return NativeMethods.setpriority(PrioProcess, 0, nice) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int setpriority(int which, int who, int prio);
    }
}
