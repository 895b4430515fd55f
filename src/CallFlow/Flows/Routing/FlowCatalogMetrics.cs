using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>Reload instruments of the flow catalog, on the project-wide "StepAudio.Telephony" meter.</summary>
internal sealed class FlowCatalogMetrics : IDisposable
{
    public const string MeterName = "StepAudio.Telephony";
    private readonly Counter<long> _reloads;

    public FlowCatalogMetrics()
    {
        Meter = new Meter(MeterName);
        _reloads = Meter.CreateCounter<long>(
            "stepaudio.callflow.reloads", "{reload}", "Flow directory reloads after a change, by result (applied, rejected).");
    }

    /// <summary>Exposed so tests can listen to this instance's instruments only.</summary>
    internal Meter Meter { get; }

    public void Applied() => _reloads.Add(1, new KeyValuePair<string, object?>("result", "applied"));

    public void Rejected() => _reloads.Add(1, new KeyValuePair<string, object?>("result", "rejected"));

    public void Dispose() => Meter.Dispose();
}
