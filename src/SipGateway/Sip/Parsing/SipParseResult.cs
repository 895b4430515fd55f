using System.Diagnostics.CodeAnalysis;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Parsing;

/// <summary>Outcome of <see cref="SipMessageParser.Parse"/>: a message or an error, never both.</summary>
public readonly struct SipParseResult
{
    internal SipParseResult(SipMessage? message, SipParseError? error)
    {
        Message = message;
        Error = error;
    }

    public SipMessage? Message { get; }

    public SipParseError? Error { get; }

    [MemberNotNullWhen(true, nameof(Message))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Message is not null;
}
