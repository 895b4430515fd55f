using System.Net;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <content>Source-generated log messages, so rate-limited warnings cost nothing when skipped.</content>
public sealed partial class RtpSession
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "RTP send to {Remote} failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTP receive on {Local} failed")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception, IPEndPoint local);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTP packet handling on {Local} failed")]
    private static partial void LogHandlingFailed(ILogger logger, Exception exception, IPEndPoint local);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invalid RTP datagram of {Length} bytes on {Local} (further ones within 10 s not logged)")]
    private static partial void LogInvalidDatagram(ILogger logger, int length, IPEndPoint local);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SRTP packet of {Length} bytes on {Local} dropped: {Result} (further ones within 10 s not logged)")]
    private static partial void LogSrtpDropped(ILogger logger, int length, IPEndPoint local, Srtp.SrtpUnprotectResult result);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTP on {Local} latched to {Source} (SDP said {Sdp})")]
    private static partial void LogLatched(ILogger logger, IPEndPoint local, IPEndPoint source, IPEndPoint sdp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTP datagram of {Length} bytes on {Local} from an address other than the latched peer dropped (further ones within 10 s not logged)")]
    private static partial void LogUnexpectedSource(ILogger logger, int length, IPEndPoint local);
}
