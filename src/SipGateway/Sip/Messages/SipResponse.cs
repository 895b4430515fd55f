using System.Globalization;

namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>A SIP response (RFC 3261 §7.2).</summary>
public sealed class SipResponse : SipMessage
{
    public SipResponse(int statusCode, string reasonPhrase, SipHeaders headers, ReadOnlyMemory<byte> body = default)
        : base(headers, body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        ArgumentNullException.ThrowIfNull(reasonPhrase);
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
    }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    public bool IsProvisional => StatusCode < 200;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    protected override string GetStartLine() =>
        string.Create(CultureInfo.InvariantCulture, $"SIP/2.0 {StatusCode} {ReasonPhrase}");
}
