using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.Cli.Tests.Flows;

/// <summary>
/// Listens to the early-request counters on the "StepAudio.Telephony" meter while it lives. The counters are
/// process-wide: only tests that turn early requests on (all in one test class, so never run at once) move them.
/// </summary>
internal sealed class EarlyRequestCounts : IDisposable
{
    private const string Prefix = "stepaudio.conversation.early_requests.";
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _counts = [];

    public EarlyRequestCounts()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "StepAudio.Telephony" && instrument.Name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var name = instrument.Name[Prefix.Length..];
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    name += ":" + tag.Value;
                }
            }

            lock (_counts)
            {
                _counts[name] = _counts.GetValueOrDefault(name) + value;
            }
        });
        _listener.Start();
    }

    public long Started => this["started"];

    public long Used => this["used"];

    /// <summary>Cancelled requests, all reasons together.</summary>
    public long Cancelled
    {
        get
        {
            lock (_counts)
            {
                return _counts.Where(c => c.Key.StartsWith("cancelled", StringComparison.Ordinal)).Sum(c => c.Value);
            }
        }
    }

    /// <summary>A count by name, with the reason after a colon for cancellations (<c>cancelled:speech_resumed</c>).</summary>
    public long this[string name]
    {
        get
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(name);
            }
        }
    }

    public override string ToString()
    {
        lock (_counts)
        {
            return string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
        }
    }

    public void Dispose() => _listener.Dispose();
}
