using System.Net;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

public sealed partial class TcpSipTransport
{
    [LoggerMessage(Level = LogLevel.Information, Message = "SIP {Protocol} transport listening on {EndPoint}")]
    private static partial void LogListening(ILogger logger, SipTransportProtocol protocol, IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP TCP accept failed ({Suppressed} similar errors suppressed)")]
    private static partial void LogAcceptFailed(ILogger logger, Exception exception, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP TCP send to {Destination} failed ({Suppressed} similar errors suppressed)")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string destination, long suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "SIP TCP receive error on {Connection} ({Suppressed} similar errors suppressed)")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception, string connection, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP TCP framing error on {Connection}: {Status} {Reason}; closing ({Suppressed} similar suppressed)")]
    private static partial void LogFramingError(ILogger logger, string connection, int status, string reason, long suppressed);
}
