using System.Globalization;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Calls.Admission;

/// <summary>
/// Decides from samples of the inference's lateness whether the host is overloaded: it enters overload when
/// <see cref="AdmissionOptions.LateSamples"/> of the samples in the last <see cref="AdmissionOptions.Window"/> were late
/// and leaves it only after <see cref="AdmissionOptions.ClearFor"/> without a late sample (hysteresis, so that the
/// first calls taken back do not tip it over at once). One log line per transition. Samples come from one thread (the
/// monitor's timer); <see cref="IsOverloaded"/> and <see cref="Detail"/> may be read from any.
/// </summary>
public sealed partial class OverloadGuard
{
    private readonly AdmissionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Queue<(long At, bool Late, long Skipped)> _samples = new();
    private readonly int _samplesPerWindow;
    private long? _lastTotal;
    private long _lastAt;
    private TimeSpan _lastBusy;
    private long _lastLateAt;
    private long _enteredAt;
    private long _refusedWhileOverloaded;
    private volatile bool _overloaded;
    private volatile LoadAtSample? _atSample;
    private volatile Func<int> _callsInProgress = () => 0;
    private volatile string _detail = "not overloaded";

    public OverloadGuard(AdmissionOptions options, TimeProvider time, ILogger<OverloadGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _time = time;
        _logger = logger;
        _samplesPerWindow = options.SamplesPerWindow;
    }

    /// <summary>True while new calls should be refused.</summary>
    public bool IsOverloaded => _overloaded;

    /// <summary>What the last transition was, for <c>/readyz</c>.</summary>
    public string Detail => _detail;

    /// <summary>Where the calls in progress are counted, read at each sample beside the busy share.</summary>
    public void CountCallsWith(Func<int> callsInProgress)
    {
        ArgumentNullException.ThrowIfNull(callsInProgress);
        _callsInProgress = callsInProgress;
    }

    /// <summary>
    /// Whether <paramref name="callsNow"/> calls reach the capacity projected from the last sample: the calls then times
    /// <see cref="AdmissionOptions.BusyFraction"/> over the busy share then. Only once the threads were at least
    /// <see cref="AdmissionOptions.ProjectFromBusy"/> busy with <see cref="AdmissionOptions.ProjectFromCalls"/> calls or
    /// more, where the cost of a call is measured rather than the threads' fixed cost.
    /// </summary>
    /// <remarks>
    /// Why (issue 15): the late samples say the threads are already past the line, two samples (seconds) after it; at
    /// 50 new calls a second the held-call test let 440–500 calls into cores that hear about 400 cleanly. The
    /// projection stops at the line while calls still arrive, from what a call costs on this host in this run.
    /// </remarks>
    public bool IsAtProjectedCapacity(int callsNow)
    {
        if (_atSample is not { } sample || _options.ProjectFromBusy <= 0 || _options.BusyFraction <= 0
            || sample.Busy < _options.ProjectFromBusy || sample.Calls < _options.ProjectFromCalls)
        {
            return false;
        }

        return callsNow >= sample.Calls * _options.BusyFraction / sample.Busy;
    }

    /// <summary>Counts a call refused while overloaded (reported when the overload ends).</summary>
    public void OnRefused() => Interlocked.Increment(ref _refusedWhileOverloaded);

    /// <summary>Takes one sample: the windows skipped since start, the backlog now, and how busy the threads were.</summary>
    /// <param name="windowsSkipped">Cumulative windows given up for lateness (only the growth since the last sample counts).</param>
    /// <param name="backlogMs">The largest backlog of unscored audio now.</param>
    /// <param name="busyTime">Cumulative wall time the inference threads spent running, summed over threads.</param>
    /// <param name="threads">The inference threads (0: no busy signal, as with inline inference).</param>
    public void Observe(long windowsSkipped, double backlogMs, TimeSpan busyTime = default, int threads = 0)
    {
        var now = _time.GetTimestamp();
        // The first sample has nothing to compare with: skips before the guard started are not this window's.
        var first = _lastTotal is null;
        var skipped = _lastTotal is { } last ? Math.Max(0, windowsSkipped - last) : 0;
        _lastTotal = windowsSkipped;
        var load = first || threads <= 0
            ? null
            : new LoadAtSample(_callsInProgress(), BusyFraction(busyTime - _lastBusy, _time.GetElapsedTime(_lastAt, now), threads));
        var busy = load?.Busy ?? 0;
        _lastBusy = busyTime;
        _lastAt = now;
        var late = skipped >= _options.SkippedWindows
            || (_options.BacklogMs > 0 && backlogMs >= _options.BacklogMs)
            || (_options.BusyFraction > 0 && busy >= _options.BusyFraction);
        _atSample = load;
        _samples.Enqueue((now, late, skipped));
        while (_samples.Count > _samplesPerWindow)
        {
            _samples.Dequeue();
        }

        if (late)
        {
            _lastLateAt = now;
        }

        if (!_overloaded)
        {
            var lateSamples = 0;
            long skippedInWindow = 0;
            foreach (var sample in _samples)
            {
                if (sample.Late && _time.GetElapsedTime(sample.At, now) < _options.Window)
                {
                    lateSamples++;
                    skippedInWindow += sample.Skipped;
                }
            }

            if (lateSamples >= _options.LateSamples)
            {
                Enter(now, lateSamples, skippedInWindow, backlogMs, busy);
            }
        }
        else if (!late && _time.GetElapsedTime(_lastLateAt, now) >= _options.ClearFor)
        {
            Leave(now);
        }
    }

    /// <summary>How busy the inference threads were over the last interval (0–1), for tests and diagnostics.</summary>
    public double LastBusyFraction => _atSample?.Busy ?? 0;

    private static double BusyFraction(TimeSpan busy, TimeSpan elapsed, int threads) =>
        elapsed <= TimeSpan.Zero ? 0 : Math.Clamp(busy / (elapsed * threads), 0, 1);

    private void Enter(long now, int lateSamples, long skipped, double backlogMs, double busy)
    {
        _enteredAt = now;
        Interlocked.Exchange(ref _refusedWhileOverloaded, 0);
        var at = _time.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        _detail = string.Create(CultureInfo.InvariantCulture,
            $"overloaded since {at} UTC: {lateSamples} late samples in {_options.Window.TotalSeconds:F0} s ({skipped} VAD windows skipped, backlog {backlogMs:F0} ms, inference {busy:P0} busy); new calls get 503");
        _overloaded = true;
        AdmissionMetrics.OverloadEntered.Add(1);
        LogEntered(_logger, lateSamples, _options.Window.TotalSeconds, skipped, backlogMs, busy, _options.RetryAfter.TotalSeconds, _options.ClearFor.TotalSeconds);
    }

    private void Leave(long now)
    {
        _overloaded = false;
        _samples.Clear();
        var lasted = _time.GetElapsedTime(_enteredAt, now).TotalSeconds;
        var refused = Interlocked.Read(ref _refusedWhileOverloaded);
        _detail = string.Create(CultureInfo.InvariantCulture, $"not overloaded (the last overload lasted {lasted:F0} s and refused {refused} calls)");
        LogLeft(_logger, lasted, refused, _options.ClearFor.TotalSeconds);
    }

    /// <summary>The calls in progress and the threads' busy share at one sample, published together.</summary>
    private sealed record LoadAtSample(int Calls, double Busy);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Overloaded: {LateSamples} late samples in the last {WindowSeconds:F0} s ({Skipped} VAD windows skipped for lateness, backlog {BacklogMs:F0} ms, inference threads {Busy:P0} busy); new calls get 503 Retry-After {RetryAfter:F0} s until {ClearSeconds:F0} s clean. Calls in progress are kept")]
    private static partial void LogEntered(ILogger logger, int lateSamples, double windowSeconds, long skipped, double backlogMs, double busy, double retryAfter, double clearSeconds);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Overload over after {Seconds:F0} s ({Refused} new calls refused meanwhile); the inference was {ClearSeconds:F0} s clean, taking new calls again")]
    private static partial void LogLeft(ILogger logger, double seconds, long refused, double clearSeconds);
}
