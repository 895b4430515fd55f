using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.Analytics.Diagnostics;

/// <summary>Instruments of the analytics publisher, on the project-wide "StepAudio.Telephony" meter.</summary>
internal sealed class PublishingMetrics : IDisposable
{
    public const string MeterName = "StepAudio.Telephony";

    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _dropped;
    private readonly Histogram<double> _publishDuration;

    public PublishingMetrics(Func<int> queueDepth)
    {
        Meter = new Meter(MeterName);
        _published = Meter.CreateCounter<long>(
            "stepaudio.analytics.events.published", "{event}", "Events confirmed by the broker.");
        _publishFailures = Meter.CreateCounter<long>(
            "stepaudio.analytics.publish.failures", "{attempt}", "Failed publish attempts (each retry counts).");
        _rejected = Meter.CreateCounter<long>(
            "stepaudio.analytics.events.rejected", "{event}", "Events refused because the queue was full.");
        _dropped = Meter.CreateCounter<long>(
            "stepaudio.analytics.events.dropped", "{event}", "Events that can never be published (serialization failed).");
        _publishDuration = Meter.CreateHistogram<double>(
            "stepaudio.analytics.publish.duration", "s", "Time from publish to broker confirm, per confirmed event.");
        Meter.CreateObservableGauge(
            "stepaudio.analytics.queue.depth", queueDepth, "{event}", "Events waiting for delivery.");
    }

    /// <summary>Exposed so tests can listen to this instance's instruments only.</summary>
    internal Meter Meter { get; }

    public void Published(TimeSpan confirmedAfter)
    {
        _published.Add(1);
        _publishDuration.Record(confirmedAfter.TotalSeconds);
    }

    public void PublishFailed() => _publishFailures.Add(1);

    public void Rejected() => _rejected.Add(1);

    public void Dropped() => _dropped.Add(1);

    public void Dispose() => Meter.Dispose();
}
