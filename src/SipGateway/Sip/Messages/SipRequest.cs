namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>A SIP request (RFC 3261 §7.1).</summary>
public sealed class SipRequest : SipMessage
{
    public SipRequest(string method, string requestUri, SipHeaders headers, ReadOnlyMemory<byte> body = default)
        : base(headers, body)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(requestUri);
        Method = method;
        RequestUri = requestUri;
    }

    public string Method { get; }

    /// <summary>The Request-URI text; any scheme (RFC 3261 §8.2.2.1 decides what to do with it).</summary>
    public string RequestUri { get; }

    protected override string GetStartLine() => $"{Method} {RequestUri} SIP/2.0";
}
