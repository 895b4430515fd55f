using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.Benchmarks.EventLoad;

/// <summary>
/// Reads the publisher's own instruments (meter "StepAudio.Telephony"): events confirmed by the broker and the
/// depth of the queue or outbox, sampled every few milliseconds for its peak. No access to internals needed.
/// </summary>
internal sealed class PublishingProbe : IDisposable
{
    private const string PublishedInstrument = "stepaudio.analytics.events.published";
    private const string DepthInstrument = "stepaudio.analytics.queue.depth";

    private readonly MeterListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _published;
    private long _depth;
    private long _peakDepth;

    public PublishingProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "StepAudio.Telephony" && instrument.Name is PublishedInstrument or DepthInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == PublishedInstrument)
            {
                Interlocked.Add(ref _published, value);
            }
            else
            {
                Observe(instrument, value);
            }
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Observe(instrument, value));
        _listener.Start();
        _sampler = Task.Run(SampleAsync);
    }

    /// <summary>Events confirmed by the broker since the probe started.</summary>
    public long Published => Interlocked.Read(ref _published);

    public long Depth => Interlocked.Read(ref _depth);

    public long PeakDepth => Interlocked.Read(ref _peakDepth);

    public void ResetPeak() => Interlocked.Exchange(ref _peakDepth, 0);

    public void Dispose()
    {
        _stop.Cancel();
        _sampler.Wait();
        _listener.Dispose();
        _stop.Dispose();
    }

    private void Observe(Instrument instrument, long value)
    {
        if (instrument.Name != DepthInstrument)
        {
            return;
        }

        Interlocked.Exchange(ref _depth, value);
        long peak;
        while (value > (peak = Interlocked.Read(ref _peakDepth)) && Interlocked.CompareExchange(ref _peakDepth, value, peak) != peak)
        {
        }
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            _listener.RecordObservableInstruments();
            try
            {
                await Task.Delay(2, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
