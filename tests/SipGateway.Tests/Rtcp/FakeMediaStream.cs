using System.Net;
using StepAudio.Telephony.SipGateway.Rtcp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtcp;

internal sealed class FakeMediaStream(IPEndPoint remote) : IRtcpMediaStream
{
    public uint SendSsrc { get; set; } = 0x5EED5EED;

    public IPEndPoint RemoteEndPoint { get; set; } = remote;

    public int ClockRate => 8000;

    public RtpReceptionSnapshot Reception { get; set; }

    public RtpSenderSnapshot Sender { get; set; }

    public RtpReceptionSnapshot GetReceptionSnapshot() => Reception;

    public RtpSenderSnapshot GetSenderSnapshot() => Sender;
}
