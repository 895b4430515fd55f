using System.Security.Cryptography;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>Builds the response sent before closing a connection whose stream cannot be framed (RFC 3261 §18.3).</summary>
internal static class TcpFramingErrorResponse
{
    /// <summary>The response bytes, or null when the header block is not a request we can address (responses, ACK, junk).</summary>
    public static byte[]? Create(ReadOnlyMemory<byte> headerBlock, int statusCode, string reason, string serverName)
    {
        var parsed = SipMessageParser.Parse(headerBlock);
        SipHeaders? headers;
        string? method;
        if (parsed.Success)
        {
            var request = parsed.Message as SipRequest;
            headers = request?.Headers;
            method = request?.Method;
        }
        else
        {
            headers = parsed.Error.Headers;
            method = parsed.Error.Method;
        }

        if (headers is null || method is null or SipMethods.Ack || !SipResponseFactory.CanAnswer(headers))
        {
            return null;
        }

        var toTag = RandomNumberGenerator.GetHexString(16, lowercase: true);
        return SipResponseFactory.Create(headers, statusCode, reason, toTag, serverName).ToBytes();
    }
}
