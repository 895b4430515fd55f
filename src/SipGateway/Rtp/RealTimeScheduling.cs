using System.Runtime.InteropServices;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// Puts the calling thread under the Linux real-time scheduler (SCHED_FIFO), as media servers do for their timing
/// thread: .NET's <see cref="Thread.Priority"/> has no effect on Linux, so under load the media clock otherwise waits
/// behind thread-pool work for a scheduler slice (several milliseconds on one busy core). Needs root or
/// CAP_SYS_NICE (or an RLIMIT_RTPRIO allowance); without them the thread stays as it was.
/// </summary>
internal static partial class RealTimeScheduling
{
    private const int SchedFifo = 1;

    /// <summary>Tries to move the calling thread to SCHED_FIFO at <paramref name="priority"/> (1–99).</summary>
    /// <returns>Whether the kernel accepted it.</returns>
    public static bool TryEnableForCurrentThread(int priority)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // pid 0 is the calling thread (sched_setscheduler(2) acts on one thread on Linux).
            return NativeMethods.sched_setscheduler(0, SchedFifo, ref priority) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int sched_setscheduler(int pid, int policy, ref int param);
    }
}
