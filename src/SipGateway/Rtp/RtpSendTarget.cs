using System.Net;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// Where an <see cref="RtpSession"/> sends: swapped atomically as one immutable object on latching so a sender never
/// sees the address of one target with the flags of another.
/// </summary>
internal sealed class RtpSendTarget
{
    public RtpSendTarget(IPEndPoint endPoint, SocketAddress? address = null)
    {
        EndPoint = endPoint;
        Address = address ?? endPoint.Serialize();
        Latched = address is not null;
        IsUnspecified = endPoint.Port == 0
            || endPoint.Address.Equals(IPAddress.Any)
            || endPoint.Address.Equals(IPAddress.IPv6Any);
    }

    public IPEndPoint EndPoint { get; }

    public SocketAddress Address { get; }

    public bool Latched { get; }

    public bool IsUnspecified { get; }
}
