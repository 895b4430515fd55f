using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>Counters of the request filter (Meter "StepAudio.Telephony").</summary>
internal static class SipSecurityMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> RateLimited = Meter.CreateCounter<long>("sip.security.rate_limited");

    public static readonly Counter<long> Scanners = Meter.CreateCounter<long>("sip.security.scanners_dropped");

    public static readonly Counter<long> Forbidden = Meter.CreateCounter<long>("sip.security.forbidden");

    public static readonly Counter<long> Challenged = Meter.CreateCounter<long>("sip.security.challenged");

    public static readonly Counter<long> Authenticated = Meter.CreateCounter<long>("sip.security.authenticated");
}
