using System.Globalization;
using System.Security.Cryptography;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Registration;

/// <summary>
/// Builds the REGISTER requests of one binding (RFC 3261 §10.2): Request-URI is the registrar's domain, To and From
/// the address-of-record, one Call-ID and From tag for every refresh (§10.2.4 asks for the same Call-ID so the
/// registrar can order them) and a CSeq that grows by one per request.
/// </summary>
public sealed class RegisterRequestFactory
{
    private readonly string _fromTag = RandomNumberGenerator.GetHexString(16, lowercase: true);
    private readonly string _localHostPort;
    private readonly string _userAgent;
    private uint _cseq;

    public RegisterRequestFactory(string username, string domain, string localHostPort, string userAgent)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentException.ThrowIfNullOrEmpty(domain);
        ArgumentException.ThrowIfNullOrEmpty(localHostPort);
        ArgumentNullException.ThrowIfNull(userAgent);
        _localHostPort = localHostPort;
        _userAgent = userAgent;
        RequestUri = "sip:" + domain;
        AddressOfRecord = $"<sip:{username}@{domain}>";
        Contact = $"<sip:{username}@{localHostPort}>";
        // 128 random bits are globally unique on their own; the optional "@host" part adds nothing (RFC 3261 §8.1.1.4).
        CallId = RandomNumberGenerator.GetHexString(32, lowercase: true);
    }

    public string RequestUri { get; }

    public string AddressOfRecord { get; }

    /// <summary>Our binding, as sent in Contact (the INVITE target the trunk will use).</summary>
    public string Contact { get; }

    public string CallId { get; }

    /// <summary>The CSeq number of the last request built.</summary>
    public uint LastCSeq => _cseq;

    /// <summary>
    /// A new REGISTER with a fresh branch and the next CSeq. <paramref name="expires"/> goes in the Expires header (0
    /// removes the binding, §10.2.2). <paramref name="authorization"/> is the credentials value, placed in
    /// Proxy-Authorization when <paramref name="proxy"/>.
    /// </summary>
    public SipRequest Create(int expires, string? authorization, bool proxy)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expires);
        var cseq = ++_cseq;
        var headers = new SipHeaders(12);
        headers.Add(SipHeaderId.Via, $"SIP/2.0/UDP {_localHostPort};branch=z9hG4bK{RandomNumberGenerator.GetHexString(16, lowercase: true)};rport");
        headers.Add(SipHeaderId.MaxForwards, "70");
        headers.Add(SipHeaderId.From, AddressOfRecord + ";tag=" + _fromTag);
        headers.Add(SipHeaderId.To, AddressOfRecord);
        headers.Add(SipHeaderId.CallId, CallId);
        headers.Add(SipHeaderId.CSeq, cseq.ToString(CultureInfo.InvariantCulture) + " " + SipMethods.Register);
        headers.Add(SipHeaderId.Contact, Contact);
        headers.Add("Expires", expires.ToString(CultureInfo.InvariantCulture));
        if (authorization is not null)
        {
            headers.Add(proxy ? "Proxy-Authorization" : "Authorization", authorization);
        }

        headers.Add(SipHeaderId.UserAgent, _userAgent);
        return new SipRequest(SipMethods.Register, RequestUri, headers);
    }
}
