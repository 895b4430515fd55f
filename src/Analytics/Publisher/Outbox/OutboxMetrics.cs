using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>Instruments of the outbox, on the project-wide "StepAudio.Telephony" meter.</summary>
internal sealed class OutboxMetrics : IDisposable
{
    public const string MeterName = "StepAudio.Telephony";

    private readonly Counter<long> _rejected;
    private readonly Counter<long> _recovered;
    private readonly Counter<long> _corrupt;

    public OutboxMetrics(Func<long> heldBytes, Func<int> events, Func<double> capacityRatio)
    {
        Meter = new Meter(MeterName);
        Meter.CreateObservableGauge("stepaudio.outbox.bytes", heldBytes, "By", "Bytes of undelivered events held on disk.");
        Meter.CreateObservableGauge("stepaudio.outbox.events", events, "{event}", "Undelivered events held on disk.");
        Meter.CreateObservableGauge("stepaudio.outbox.capacity_ratio", capacityRatio, null,
            "Held bytes over Outbox:MaxBytes (0–1); at 1 new events are refused.");
        _rejected = Meter.CreateCounter<long>("stepaudio.outbox.rejected", "{event}", "Events refused: outbox full or unwritable.");
        _recovered = Meter.CreateCounter<long>("stepaudio.outbox.recovered", "{event}", "Undelivered events found on disk at start.");
        _corrupt = Meter.CreateCounter<long>("stepaudio.outbox.corrupt_records", "{record}",
            "Damaged regions or unreadable records skipped (their events are lost).");
    }

    /// <summary>Exposed so tests can listen to this instance's instruments only.</summary>
    internal Meter Meter { get; }

    public void Rejected() => _rejected.Add(1);

    public void Recovered(int events) => _recovered.Add(events);

    public void Corrupt(int records) => _corrupt.Add(records);

    public void Dispose() => Meter.Dispose();
}
