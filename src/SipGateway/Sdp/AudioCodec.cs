namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>The negotiated audio codec: "PCMU" or "PCMA", its RTP payload type and clock rate.</summary>
public sealed record AudioCodec(string EncodingName, int PayloadType, int ClockRate)
{
    public static AudioCodec Pcmu { get; } = new("PCMU", 0, 8000);

    public static AudioCodec Pcma { get; } = new("PCMA", 8, 8000);
}
