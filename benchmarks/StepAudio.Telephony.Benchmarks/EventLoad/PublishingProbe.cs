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
    private const string OutboxBytesInstrument = "stepaudio.outbox.bytes";

    private readonly MeterListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _published;
    private long _peakDepth;
    private long _peakOutboxBytes;

    public PublishingProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "StepAudio.Telephony" && instrument.Name is PublishedInstrument or DepthInstrument or OutboxBytesInstrument)
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

    public long PeakDepth => Interlocked.Read(ref _peakDepth);

    /// <summary>Most bytes the disk outbox held (0 with the outbox off).</summary>
    public long PeakOutboxBytes => Interlocked.Read(ref _peakOutboxBytes);

    public void ResetPeak()
    {
        Interlocked.Exchange(ref _peakDepth, 0);
        Interlocked.Exchange(ref _peakOutboxBytes, 0);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sampler.Wait();
        _listener.Dispose();
        _stop.Dispose();
    }

    private static void RaisePeak(ref long peak, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen)
        {
        }
    }

    private void Observe(Instrument instrument, long value)
    {
        if (instrument.Name == DepthInstrument)
        {
            RaisePeak(ref _peakDepth, value);
        }
        else if (instrument.Name == OutboxBytesInstrument)
        {
            RaisePeak(ref _peakOutboxBytes, value);
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
