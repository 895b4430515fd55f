using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>Process-wide RTCP instruments on the <c>StepAudio.Telephony</c> meter.</summary>
internal static class RtcpMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> PacketsSent =
        Meter.CreateCounter<long>("rtcp.packets.sent", "{packet}", "Compound RTCP packets sent.");

    public static readonly Counter<long> PacketsReceived =
        Meter.CreateCounter<long>("rtcp.packets.received", "{packet}", "Valid compound RTCP packets received.");

    public static readonly Counter<long> PacketsInvalid =
        Meter.CreateCounter<long>("rtcp.packets.invalid", "{packet}", "Datagrams on the RTCP port that are not valid RTCP.");

    public static readonly Histogram<double> RoundTripTime =
        Meter.CreateHistogram<double>("rtcp.round_trip_time", "s", "Round-trip times computed from peers' LSR/DLSR.");

    public static readonly Histogram<double> PeerFractionLost =
        Meter.CreateHistogram<double>("rtcp.peer.fraction_lost", "1", "Fraction of our packets lost, as reported by peers.");

    public static readonly Histogram<double> PeerJitter =
        Meter.CreateHistogram<double>("rtcp.peer.jitter", "s", "Interarrival jitter of our stream, as reported by peers.");
}
