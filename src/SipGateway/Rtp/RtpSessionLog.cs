using System.Net;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Log messages of <see cref="RtpSession"/> (source-generated, so rate-limited warnings cost nothing when skipped).</summary>
internal static partial class RtpSessionLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "RTP send to {Remote} failed")]
    public static partial void SendFailed(ILogger logger, Exception exception, IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTP receive on {Local} failed")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, IPEndPoint local);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTP packet handling on {Local} failed")]
    public static partial void HandlingFailed(ILogger logger, Exception exception, IPEndPoint local);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invalid RTP datagram of {Length} bytes on {Local} (further ones within 10 s not logged)")]
    public static partial void InvalidDatagram(ILogger logger, int length, IPEndPoint local);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SRTP packet of {Length} bytes on {Local} dropped: {Result} (further ones within 10 s not logged)")]
    public static partial void SrtpDropped(ILogger logger, int length, IPEndPoint local, Srtp.SrtpUnprotectResult result);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTP on {Local} latched to {Source} (SDP said {Sdp})")]
    public static partial void Latched(ILogger logger, IPEndPoint local, IPEndPoint source, IPEndPoint sdp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTP datagram of {Length} bytes on {Local} from an address other than the latched peer dropped (further ones within 10 s not logged)")]
    public static partial void UnexpectedSource(ILogger logger, int length, IPEndPoint local);
}
