using Microsoft.Extensions.Hosting;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.SipGateway.Calls.Admission;

/// <summary>
/// Feeds the <see cref="OverloadGuard"/> one sample of the inference's lateness every
/// <see cref="AdmissionOptions.SampleInterval"/>, on a timer of the injected <see cref="TimeProvider"/>. Reading the
/// signal costs a few loads per inference thread, so sampling never adds load to an overloaded host.
/// </summary>
public sealed class OverloadMonitor : IHostedService, IDisposable
{
    private readonly OverloadGuard _guard;
    private readonly IInferenceLateness _lateness;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Lock _arming = new();
    private ITimer? _timer;

    public OverloadMonitor(OverloadGuard guard, IInferenceLateness lateness, AdmissionOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(lateness);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _guard = guard;
        _lateness = lateness;
        _time = time;
        _interval = options.SampleInterval;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Observe(); // the baseline of the counters
        // One-shot, re-armed after each sample: a starved host never runs two samples at once or a burst of late ones.
        _timer = _time.CreateTimer(_ => Sample(), null, _interval, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        StopSampling();
        return Task.CompletedTask;
    }

    public void Dispose() => StopSampling();

    private void StopSampling()
    {
        lock (_arming)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Observe() =>
        _guard.Observe(_lateness.WindowsSkipped, _lateness.BacklogMs, _lateness.BusyTime, _lateness.Threads);

    private void Sample()
    {
        Observe();
        lock (_arming)
        {
            _timer?.Change(_interval, Timeout.InfiniteTimeSpan); // null once stopped
        }
    }
}
