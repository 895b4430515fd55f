using System.Diagnostics.Metrics;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Consuming;

/// <summary>Instruments of the analytics service, on the project-wide "StepAudio.Telephony" meter.</summary>
internal sealed class ConsumingMetrics : IDisposable
{
    public const string MeterName = "StepAudio.Telephony";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _consumed;

    public ConsumingMetrics()
    {
        _consumed = _meter.CreateCounter<long>(
            "stepaudio.analytics.service.events", "{event}", "Events consumed, tagged by what was done with them.");
    }

    public void Consumed(AppendResult result) =>
        _consumed.Add(1, new KeyValuePair<string, object?>("result", result switch
        {
            AppendResult.Stored => "stored",
            AppendResult.Duplicate => "duplicate",
            AppendResult.OutsideRetention => "outside-retention",
            _ => "rejected",
        }));

    public void Dispose() => _meter.Dispose();
}
