using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Sip.Registration;

/// <summary>Counters of outbound registration (Meter "StepAudio.Telephony"), tagged with the trunk name.</summary>
internal static class RegistrationMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> Succeeded = Meter.CreateCounter<long>("sip.registrations.succeeded");

    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("sip.registrations.failed");

    public static KeyValuePair<string, object?> Trunk(string name) => new("trunk", name);
}
