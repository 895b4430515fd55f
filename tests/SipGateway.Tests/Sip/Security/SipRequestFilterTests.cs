using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Tests.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

public sealed class SipRequestFilterTests
{
    private const string Realm = "sip.example.net";
    private const string Uri = "sip:gateway@192.0.2.10";
    private static readonly IPEndPoint Trunk = new(IPAddress.Parse("203.0.113.5"), 5060);
    private static readonly IPEndPoint Stranger = new(IPAddress.Parse("198.51.100.7"), 5060);
    private static readonly IPEndPoint StrangerV6 = new(IPAddress.Parse("2001:db8::7"), 5060);
    private readonly ManualTimeProvider _time = new();

    private static SipSecurityOptions Options(bool digest = true, bool allowUnlisted = false)
    {
        var options = new SipSecurityOptions { AllowUnlistedSources = allowUnlisted, NonceLifetime = TimeSpan.FromMinutes(5) };
        var carrier = new TrunkOptions { Name = "carrier" };
        carrier.Addresses.Add("203.0.113.0/28");
        carrier.Addresses.Add("2001:db8:1::/48");
        if (digest)
        {
            carrier.Username = "carrier";
            carrier.Password = "s3cret";
            carrier.Realm = Realm;
        }

        options.Trunks.Add(carrier);
        return options;
    }

    private SipRequestFilter Filter(SipSecurityOptions options) => new(options, _time, NullLogger<SipRequestFilter>.Instance);

    private static SipRequest Request(string method, string extraHeaders = "", string uri = Uri)
    {
        var text =
            $"{method} {uri} SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK-1\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:c@x>;tag=1\r\nTo: <{Uri}>\r\nCall-ID: f1\r\nCSeq: 1 {method}\r\n{extraHeaders}Content-Length: 0\r\n\r\n";
        var result = SipMessageParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.True(result.Success, result.Error?.Reason);
        return (SipRequest)result.Message;
    }

    private static string Challenge(FilterDecision decision, string algorithm)
    {
        Assert.Equal(FilterAction.Reject, decision.Action);
        Assert.Equal(401, decision.StatusCode);
        return Assert.Single(decision.Headers, h => h.Key == "WWW-Authenticate" && h.Value.Contains("algorithm=" + algorithm + ",", StringComparison.Ordinal)).Value;
    }

    [Fact]
    public void Listed_sources_are_accepted_v4_and_v6()
    {
        var filter = Filter(Options(digest: false));

        Assert.Equal(FilterAction.Accept, filter.Check(Request("INVITE"), Trunk).Action);
        Assert.Equal(FilterAction.Accept, filter.Check(Request("INVITE"), new IPEndPoint(IPAddress.Parse("2001:db8:1:ff::9"), 5060)).Action);
        Assert.Equal(FilterAction.Accept, filter.Check(Request("INVITE"), new IPEndPoint(IPAddress.Parse("::ffff:203.0.113.5"), 5060)).Action);
    }

    [Theory]
    [InlineData("INVITE")]
    [InlineData("OPTIONS")]
    [InlineData("BYE")]
    public void Unlisted_sources_get_403_without_digest(string method)
    {
        var decision = Filter(Options(digest: false)).Check(Request(method), Stranger);

        Assert.Equal(FilterAction.Reject, decision.Action);
        Assert.Equal(403, decision.StatusCode);
        Assert.Empty(decision.Headers);
    }

    [Fact]
    public void Unlisted_sources_are_accepted_when_allowed()
    {
        Assert.Equal(FilterAction.Accept, Filter(Options(allowUnlisted: true)).Check(Request("INVITE"), Stranger).Action);
    }

    [Theory]
    [InlineData("ACK")]
    [InlineData("CANCEL")]
    public void Ack_and_cancel_are_never_challenged(string method)
    {
        Assert.Equal(FilterAction.Accept, Filter(Options()).Check(Request(method), Stranger).Action);
    }

    [Fact]
    public void In_dialog_requests_from_the_dialog_peer_are_not_challenged()
    {
        Assert.Equal(FilterAction.Accept, Filter(Options()).Check(Request("BYE"), Stranger, fromDialogPeer: true).Action);
    }

    [Fact]
    public void Unlisted_source_is_challenged_with_sha256_first_then_md5()
    {
        var decision = Filter(Options()).Check(Request("INVITE"), Stranger);

        Assert.Equal(401, decision.StatusCode);
        Assert.Equal(2, decision.Headers.Count);
        Assert.All(decision.Headers, h => Assert.Equal("WWW-Authenticate", h.Key));
        Assert.StartsWith($"Digest realm=\"{Realm}\", nonce=\"", decision.Headers[0].Value, StringComparison.Ordinal);
        Assert.Contains("algorithm=SHA-256", decision.Headers[0].Value, StringComparison.Ordinal);
        Assert.Contains("algorithm=MD5", decision.Headers[1].Value, StringComparison.Ordinal);
        Assert.All(decision.Headers, h => Assert.Contains("qop=\"auth\"", h.Value, StringComparison.Ordinal));
        Assert.All(decision.Headers, h => Assert.DoesNotContain("stale", h.Value, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SHA-256")]
    [InlineData("MD5")]
    public void Correct_digest_response_is_accepted(string algorithm)
    {
        var filter = Filter(Options());
        var nonce = IndependentDigest.NonceOf(Challenge(filter.Check(Request("INVITE"), StrangerV6), algorithm));

        var authorization = IndependentDigest.Authorization(algorithm, "carrier", Realm, "s3cret", "INVITE", Uri, nonce);

        Assert.Equal(FilterAction.Accept, filter.Check(Request("INVITE", authorization), StrangerV6).Action);
    }

    [Theory]
    [InlineData("carrier", "wrong", Uri)]
    [InlineData("nobody", "s3cret", Uri)]
    [InlineData("carrier", "s3cret", "sip:other@192.0.2.10")]
    public void Wrong_password_unknown_user_or_other_uri_gets_403(string user, string password, string digestUri)
    {
        var filter = Filter(Options());
        var nonce = IndependentDigest.NonceOf(Challenge(filter.Check(Request("INVITE"), Stranger), "SHA-256"));

        var authorization = IndependentDigest.Authorization("SHA-256", user, Realm, password, "INVITE", digestUri, nonce);
        var decision = filter.Check(Request("INVITE", authorization), Stranger);

        Assert.Equal(FilterAction.Reject, decision.Action);
        Assert.Equal(403, decision.StatusCode);
    }

    [Fact]
    public void Expired_nonce_with_correct_credentials_gets_401_stale()
    {
        var filter = Filter(Options());
        var nonce = IndependentDigest.NonceOf(Challenge(filter.Check(Request("INVITE"), Stranger), "MD5"));
        var authorization = IndependentDigest.Authorization("MD5", "carrier", Realm, "s3cret", "INVITE", Uri, nonce);

        _time.Advance(TimeSpan.FromMinutes(6));
        var decision = filter.Check(Request("INVITE", authorization), Stranger);

        var fresh = Challenge(decision, "MD5");
        Assert.Contains("stale=true", fresh, StringComparison.Ordinal);
        Assert.NotEqual(nonce, IndependentDigest.NonceOf(fresh));
    }

    [Fact]
    public void Nonce_issued_to_another_address_or_forged_gets_a_fresh_challenge()
    {
        var filter = Filter(Options());
        var nonce = IndependentDigest.NonceOf(Challenge(filter.Check(Request("INVITE"), Stranger), "MD5"));
        var forged = string.Concat(nonce.AsSpan(0, 16), new string('0', nonce.Length - 16));

        foreach (var (value, source) in new[] { (nonce, StrangerV6), (forged, Stranger) })
        {
            var authorization = IndependentDigest.Authorization("MD5", "carrier", Realm, "s3cret", "INVITE", Uri, value);
            var decision = filter.Check(Request("INVITE", authorization), source);
            Assert.DoesNotContain("stale", Challenge(decision, "MD5"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("friendly-scanner")]
    [InlineData("SIPVicious 0.3.4")]
    [InlineData("sipcli/v1.8")]
    [InlineData("VaxSIPUserAgent/3.1")]
    [InlineData("pplsip")]
    public void Scanner_user_agents_are_dropped_and_counted_even_from_trunks(string userAgent)
    {
        var filter = Filter(Options(allowUnlisted: true));

        Assert.Equal(FilterAction.Drop, filter.Check(Request("OPTIONS", $"User-Agent: {userAgent}\r\n"), Trunk).Action);
        Assert.Equal(FilterAction.Accept, filter.Check(Request("OPTIONS", "User-Agent: Asterisk PBX 20.1\r\n"), Trunk).Action);
        Assert.Equal(1, filter.ScannersDroppedCount);
    }

    [Fact]
    public void Scanner_list_is_configurable_and_can_be_emptied()
    {
        var custom = Options(allowUnlisted: true);
        custom.ScannerUserAgents = ["evil-dialer"];
        var none = Options(allowUnlisted: true);
        none.ScannerUserAgents = [];

        Assert.Equal(FilterAction.Drop, Filter(custom).Check(Request("INVITE", "User-Agent: Evil-Dialer 2\r\n"), Stranger).Action);
        Assert.Equal(FilterAction.Accept, Filter(custom).Check(Request("INVITE", "User-Agent: friendly-scanner\r\n"), Stranger).Action);
        Assert.Equal(FilterAction.Accept, Filter(none).Check(Request("INVITE", "User-Agent: friendly-scanner\r\n"), Stranger).Action);
    }

    [Fact]
    public void Rate_limit_applies_to_unlisted_sources_only()
    {
        var options = Options(allowUnlisted: true);
        options.RequestsPerSecond = 1;
        options.Burst = 3;
        var filter = Filter(options);

        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => filter.AdmitDatagram(Stranger)));
        Assert.Equal(7, filter.RateLimitedCount);
        Assert.Equal(10, Enumerable.Range(0, 10).Count(_ => filter.AdmitDatagram(Trunk)));
    }

    [Fact]
    public void Every_address_of_a_listed_range_is_never_limited_and_each_unlisted_address_has_its_own_bucket()
    {
        var options = Options(allowUnlisted: true);
        options.RequestsPerSecond = 50;
        options.Burst = 100;
        var filter = Filter(options);
        var otherStranger = new IPEndPoint(IPAddress.Parse("198.51.100.8"), 5060);
        var trunkHost = new IPEndPoint(IPAddress.Parse("203.0.113.14"), 5062);

        // An SBC sending 1,000 calls' worth of requests in one instant (no time passes on the fake clock).
        Assert.Equal(3000, Enumerable.Range(0, 3000).Count(_ => filter.AdmitDatagram(trunkHost)));
        Assert.Equal(100, Enumerable.Range(0, 300).Count(_ => filter.AdmitDatagram(Stranger)));
        Assert.Equal(100, Enumerable.Range(0, 300).Count(_ => filter.AdmitDatagram(otherStranger)));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(50, Enumerable.Range(0, 300).Count(_ => filter.AdmitDatagram(Stranger)));
        Assert.Equal(200 + 200 + 250, filter.RateLimitedCount);
    }

    [Fact]
    public void Invalid_trunk_address_fails_at_construction()
    {
        var options = Options();
        options.Trunks[0].Addresses.Add("carrier.example.com");

        var error = Assert.Throws<ArgumentException>(() => Filter(options));
        Assert.Contains("carrier.example.com", error.Message, StringComparison.Ordinal);
    }
}
