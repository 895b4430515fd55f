using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Process-wide RTP counters on the <c>StepAudio.Telephony</c> meter.</summary>
internal static class RtpMetrics
{
    public const string MeterName = "StepAudio.Telephony";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> PacketsReceived =
        Meter.CreateCounter<long>("rtp.packets.received", "{packet}", "Valid RTP packets accepted from the peer.");

    public static readonly Counter<long> PacketsSent =
        Meter.CreateCounter<long>("rtp.packets.sent", "{packet}", "RTP packets sent.");

    public static readonly Counter<long> PacketsInvalid =
        Meter.CreateCounter<long>("rtp.packets.invalid", "{packet}", "Datagrams that are not valid RTP.");

    public static readonly Counter<long> PacketsIgnored =
        Meter.CreateCounter<long>("rtp.packets.ignored", "{packet}", "Valid RTP packets not played, by reason.");

    public static readonly KeyValuePair<string, object?> WrongPayloadType = new("reason", "payload_type");
    public static readonly KeyValuePair<string, object?> UnexpectedSource = new("reason", "source");
    public static readonly KeyValuePair<string, object?> TelephoneEvent = new("reason", "telephone_event");
    public static readonly KeyValuePair<string, object?> OutOfSequence = new("reason", "sequence");
    public static readonly KeyValuePair<string, object?> LateOrDuplicate = new("reason", "late_or_duplicate");

    public static readonly Counter<long> PlayoutFrames =
        Meter.CreateCounter<long>("rtp.playout.frames", "{frame}", "Frames handed to the call after the jitter buffer, by kind.");

    public static readonly KeyValuePair<string, object?> NormalFrame = new("kind", "normal");
    public static readonly KeyValuePair<string, object?> ConcealedFrame = new("kind", "concealed");
    public static readonly KeyValuePair<string, object?> MissingFrame = new("kind", "missing");
    public static readonly KeyValuePair<string, object?> ComfortNoiseFrame = new("kind", "comfort_noise");

    public static void Ignored(KeyValuePair<string, object?> reason) => PacketsIgnored.Add(1, reason);
}
