using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Parsing;

/// <summary>Why a datagram was refused, plus whatever was parsed before the failure so a UAS can still answer it.</summary>
public sealed class SipParseError
{
    internal SipParseError(string reason, int statusCode, SipHeaders? headers, string? method)
    {
        Reason = reason;
        StatusCode = statusCode;
        Headers = headers;
        Method = method;
    }

    /// <summary>Human-readable cause, suitable as a 400 reason phrase (no CR/LF).</summary>
    public string Reason { get; }

    /// <summary>Status a UAS should answer with: 400, or 505 for an unsupported SIP version (RFC 3261 §21.5.20).</summary>
    public int StatusCode { get; }

    /// <summary>Headers tokenised before the failure, or null when the header section could not be read at all.</summary>
    public SipHeaders? Headers { get; }

    /// <summary>Request method when the request-line was readable; null for responses and unreadable start lines.</summary>
    public string? Method { get; }

    public override string ToString() => $"{StatusCode} {Reason}";
}
