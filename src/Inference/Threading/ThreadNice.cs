using System.Runtime.InteropServices;

namespace StepAudio.Telephony.Inference.Threading;

/// <summary>
/// Reads and sets the Linux nice value of the calling thread: the VAD inference threads'
/// (<see cref="Vad.Batching.InferenceThreadPriority"/>) and the background workers' (<see cref="BackgroundWorkerPool{T}"/>,
/// e.g. segment analysis at <c>Analysis:WorkerNice</c>). .NET's <see cref="Thread.Priority"/> has no effect on Linux.
/// </summary>
internal static partial class ThreadNice
{
    private const int PrioProcess = 0;

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

    /// <summary>The calling thread's nice value; 0 when it cannot be read.</summary>
    public static int ForCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            // −1 is also a valid nice value: only errno tells a failure (the marshaller clears it before the call).
            var nice = NativeMethods.getpriority(PrioProcess, 0);
            return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? 0 : nice;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int setpriority(int which, int who, int prio);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int getpriority(int which, int who);
    }
}
