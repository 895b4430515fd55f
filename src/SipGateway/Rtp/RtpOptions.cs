using StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Configuration of the RTP media ports (bound from the <c>Rtp</c> configuration section).</summary>
public sealed class RtpOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Rtp";

    /// <summary>Lowest UDP port used for RTP; rounded up to an even number.</summary>
    public int PortMin { get; set; } = 10000;

    /// <summary>Highest UDP port used for RTP or its RTCP companion (port + 1).</summary>
    public int PortMax { get; set; } = 20000;

    /// <summary>Local address the RTP sockets bind to; <c>0.0.0.0</c> binds all IPv4 interfaces.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Receive jitter buffer tuning (section <c>Rtp:JitterBuffer</c>).</summary>
    public JitterBufferOptions JitterBuffer { get; set; } = new();
}
