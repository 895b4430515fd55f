using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// Records <c>sip.uas.delayed_offer_failures</c> by reason while it lives. The meter is process-wide, so every test
/// class that provokes the counter joins <see cref="Collection"/>, whose classes xUnit runs one at a time.
/// </summary>
internal sealed class DelayedOfferFailureCounter : IDisposable
{
    /// <summary>The xUnit collection of the classes whose tests make delayed offers fail.</summary>
    public const string Collection = "sip.uas.delayed_offer_failures";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _reasons = new();

    public DelayedOfferFailureCounter()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "StepAudio.Telephony" && instrument.Name == "sip.uas.delayed_offer_failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) => _reasons.Enqueue((string)tags[0].Value!));
        _listener.Start();
    }

    public IReadOnlyCollection<string> Reasons => _reasons;

    public void Dispose() => _listener.Dispose();
}
