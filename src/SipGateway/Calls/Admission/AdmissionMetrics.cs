using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Calls.Admission;

/// <summary>Instruments of call admission, on the process-wide "StepAudio.Telephony" meter.</summary>
internal static class AdmissionMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    /// <summary>Exported as <c>stepaudio_calls_refused_total{reason}</c>; reason is overload, capacity, draining or unavailable.</summary>
    public static readonly Counter<long> CallsRefused = Meter.CreateCounter<long>(
        "stepaudio.calls.refused", unit: "{call}", description: "New INVITEs answered 503 Service Unavailable with Retry-After, by reason.");

    /// <summary>Times the overload guard stopped admitting calls.</summary>
    public static readonly Counter<long> OverloadEntered = Meter.CreateCounter<long>(
        "stepaudio.admission.overloads", unit: "{transition}", description: "Times the overload guard stopped taking new calls.");
}
