using System.Net;

namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>What an <see cref="RtcpSession"/> reports on: the RTP stream it accompanies (an <c>RtpSession</c>).</summary>
internal interface IRtcpMediaStream
{
    /// <summary>Our SSRC: the SR/RR sender and the source the peer's report blocks are about.</summary>
    uint SendSsrc { get; }

    /// <summary>The peer's RTP address; RTCP goes to its port + 1 (RFC 3550 §11).</summary>
    IPEndPoint RemoteEndPoint { get; }

    /// <summary>The RTP clock rate, to express jitter in time.</summary>
    int ClockRate { get; }

    /// <summary>Receive-side counters of the current peer SSRC (RFC 3550 A.1, A.3, A.8).</summary>
    RtpReceptionSnapshot GetReceptionSnapshot();

    /// <summary>Send-side counters for the SR sender info.</summary>
    RtpSenderSnapshot GetSenderSnapshot();
}
