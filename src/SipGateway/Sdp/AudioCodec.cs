namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>The negotiated audio codec: "PCMU", "PCMA" or "G722", its RTP payload type and RTP clock rate.</summary>
public sealed record AudioCodec(string EncodingName, int PayloadType, int ClockRate)
{
    public static AudioCodec Pcmu { get; } = new("PCMU", 0, 8000);

    public static AudioCodec Pcma { get; } = new("PCMA", 8, 8000);

    /// <summary>G.722 is written <c>G722/8000</c> although it samples at 16 kHz (RFC 3551 §4.5.2).</summary>
    public static AudioCodec G722 { get; } = new("G722", 9, 8000);
}
