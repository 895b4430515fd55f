using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>Counters of outbound calls (Meter "StepAudio.Telephony"); "status" tags the final response class.</summary>
internal static class OutboundMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> Placed = Meter.CreateCounter<long>("sip.uac.calls_placed");

    public static readonly Counter<long> Answered = Meter.CreateCounter<long>("sip.uac.calls_answered");

    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("sip.uac.calls_failed");

    public static readonly Counter<long> InviteRetransmissions = Meter.CreateCounter<long>("sip.uac.invite_retransmissions");
}
