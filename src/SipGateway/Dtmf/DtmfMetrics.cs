using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Dtmf;

/// <summary>Process-wide RFC 4733 counters on the <c>StepAudio.Telephony</c> meter.</summary>
internal static class DtmfMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> Digits =
        Meter.CreateCounter<long>("dtmf.rfc4733.digits", "{digit}", "Key presses completed from RFC 4733 telephone-events.");

    public static readonly Counter<long> EndLost =
        Meter.CreateCounter<long>("dtmf.rfc4733.end_lost", "{event}", "Events completed without any end packet (new event or timeout).");

    public static readonly Counter<long> PacketsIgnored =
        Meter.CreateCounter<long>("dtmf.rfc4733.packets.ignored", "{packet}", "Event packets not acted on, by reason.");

    public static readonly KeyValuePair<string, object?> Malformed = new("reason", "malformed");
    public static readonly KeyValuePair<string, object?> Repeat = new("reason", "repeat");
    public static readonly KeyValuePair<string, object?> Late = new("reason", "late");
    public static readonly KeyValuePair<string, object?> NotDtmf = new("reason", "not_dtmf");

    public static readonly Counter<long> PacketsSent =
        Meter.CreateCounter<long>("dtmf.rfc4733.packets.sent", "{packet}", "Telephone-event packets sent.");
}
