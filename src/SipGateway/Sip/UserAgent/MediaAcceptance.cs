using System.Net;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>The handler's decision on an incoming call.</summary>
public sealed class MediaAcceptance
{
    private MediaAcceptance(IPEndPoint? localRtp, int statusCode, string reason)
    {
        LocalRtp = localRtp;
        StatusCode = statusCode;
        Reason = reason;
    }

    public bool IsAccepted => LocalRtp is not null;

    /// <summary>Our RTP endpoint for the SDP answer (a wildcard address is replaced by the public address).</summary>
    public IPEndPoint? LocalRtp { get; }

    /// <summary>Final status for a rejection (4xx-6xx); 200 when accepted.</summary>
    public int StatusCode { get; }

    public string Reason { get; }

    public static MediaAcceptance Accept(IPEndPoint localRtp)
    {
        ArgumentNullException.ThrowIfNull(localRtp);
        return new MediaAcceptance(localRtp, 200, "OK");
    }

    /// <summary>Rejects with a final status such as 486 Busy Here or 503 Service Unavailable.</summary>
    public static MediaAcceptance Reject(int statusCode, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 300);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        ArgumentNullException.ThrowIfNull(reason);
        return new MediaAcceptance(null, statusCode, reason);
    }
}
