using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// Counts the windows one inference thread gave up for lateness and logs them at most once per
/// <see cref="Interval"/>: an overloaded host must not also flood its log. Used on that thread only, except
/// <see cref="Total"/>.
/// </summary>
internal sealed class VadDropReport(ILogger logger, string threadName, int maxLagMs)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private long _sinceLog;
    private long _lastLog;
    private long _total;

    /// <summary>Windows given up since start; read from any thread (the admission guard samples it).</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Counts windows a stream gave up.</summary>
    public void Add(int count)
    {
        VadBatchingMetrics.WindowsDropped.Add(count);
        Interlocked.Add(ref _total, count);
        _sinceLog += count;
    }

    /// <summary>Logs the windows counted since the last line, when one is due.</summary>
    public void LogAtBoundedRate()
    {
        if (_sinceLog == 0 || (_lastLog != 0 && Stopwatch.GetElapsedTime(_lastLog) < Interval))
        {
            return;
        }

        VadBatchingLog.WindowsDropped(logger, _sinceLog, threadName, maxLagMs);
        _sinceLog = 0;
        _lastLog = Stopwatch.GetTimestamp();
    }
}
