using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>Counters of the UDP transport (Meter "StepAudio.Telephony").</summary>
internal static class SipTransportMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> DatagramsReceived = Meter.CreateCounter<long>("sip.udp.datagrams_received");

    public static readonly Counter<long> KeepAlivesReceived = Meter.CreateCounter<long>("sip.udp.keepalives_received");

    public static readonly Counter<long> ReceiveErrors = Meter.CreateCounter<long>("sip.udp.receive_errors");

    public static readonly Counter<long> SendErrors = Meter.CreateCounter<long>("sip.udp.send_errors");
}
