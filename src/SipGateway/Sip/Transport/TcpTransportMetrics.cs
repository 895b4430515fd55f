using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>Counters of the TCP transport (Meter "StepAudio.Telephony").</summary>
internal static class TcpTransportMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly UpDownCounter<long> OpenConnections = Meter.CreateUpDownCounter<long>("sip.tcp.connections_open");

    public static readonly Counter<long> ConnectionsAccepted = Meter.CreateCounter<long>("sip.tcp.connections_accepted");

    public static readonly Counter<long> ConnectionsRefused = Meter.CreateCounter<long>("sip.tcp.connections_refused");

    public static readonly Counter<long> MessagesReceived = Meter.CreateCounter<long>("sip.tcp.messages_received");

    public static readonly Counter<long> KeepAlivesReceived = Meter.CreateCounter<long>("sip.tcp.keepalives_received");

    public static readonly Counter<long> FramingErrors = Meter.CreateCounter<long>("sip.tcp.framing_errors");

    public static readonly Counter<long> ReceiveErrors = Meter.CreateCounter<long>("sip.tcp.receive_errors");

    public static readonly Counter<long> SendErrors = Meter.CreateCounter<long>("sip.tcp.send_errors");
}
