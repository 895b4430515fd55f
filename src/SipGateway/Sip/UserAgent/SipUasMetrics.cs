using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>Counters of the user-agent server (Meter "StepAudio.Telephony").</summary>
internal static class SipUasMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("sip.uas.requests");

    public static readonly Counter<long> BadRequests = Meter.CreateCounter<long>("sip.uas.bad_requests");

    public static readonly Counter<long> Dropped = Meter.CreateCounter<long>("sip.uas.dropped");

    public static readonly Counter<long> CallsAccepted = Meter.CreateCounter<long>("sip.uas.calls_accepted");

    public static readonly Counter<long> CallsRejected = Meter.CreateCounter<long>("sip.uas.calls_rejected");

    /// <summary>Delayed-offer calls ended because the ACK brought no usable answer (tag reason: missing or unusable).</summary>
    public static readonly Counter<long> DelayedOfferFailures = Meter.CreateCounter<long>("sip.uas.delayed_offer_failures");

    /// <summary>183 Session Progress sent for early media (tags delivery: reliable or unreliable; outcome: sent, acknowledged, prack_timeout, stopped).</summary>
    public static readonly Counter<long> ProvisionalResponses = Meter.CreateCounter<long>("sip.uas.provisional_responses");

    /// <summary>PRACKs by result (tag result: acknowledged, no_match, malformed, refused_body); RFC 3262 §4.</summary>
    public static readonly Counter<long> Pracks = Meter.CreateCounter<long>("sip.uas.pracks");

    public static readonly Counter<long> HandlerErrors = Meter.CreateCounter<long>("sip.uas.handler_errors");
}
