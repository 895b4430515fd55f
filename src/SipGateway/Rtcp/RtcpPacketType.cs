namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>RTCP packet types (RFC 3550 §12.1).</summary>
public static class RtcpPacketType
{
    /// <summary>Sender report (§6.4.1).</summary>
    public const byte SenderReport = 200;

    /// <summary>Receiver report (§6.4.2).</summary>
    public const byte ReceiverReport = 201;

    /// <summary>Source description (§6.5).</summary>
    public const byte SourceDescription = 202;

    /// <summary>Goodbye (§6.6).</summary>
    public const byte Goodbye = 203;

    /// <summary>Application-defined (§6.7).</summary>
    public const byte Application = 204;
}
