using System.Net;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>Log messages of <see cref="TcpSipTransport"/> (source-generated: errors are rate-limited, and a skipped one costs nothing).</summary>
internal static partial class TcpSipTransportLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "SIP {Protocol} transport listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, SipTransportProtocol protocol, IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP TCP accept failed ({Suppressed} similar errors suppressed)")]
    public static partial void AcceptFailed(ILogger logger, Exception exception, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP TCP send to {Destination} failed ({Suppressed} similar errors suppressed)")]
    public static partial void SendFailed(ILogger logger, Exception exception, string destination, long suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "SIP TCP receive error on {Connection} ({Suppressed} similar errors suppressed)")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, string connection, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP TCP framing error on {Connection}: {Status} {Reason}; closing ({Suppressed} similar suppressed)")]
    public static partial void FramingError(ILogger logger, string connection, int status, string reason, long suppressed);
}
