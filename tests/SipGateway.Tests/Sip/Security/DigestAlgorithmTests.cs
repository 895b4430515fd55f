using StepAudio.Telephony.SipGateway.Sip.Authentication;
using StepAudio.Telephony.SipGateway.Sip.Security;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

public sealed class DigestAlgorithmTests
{
    // RFC 7616 §3.9.1: the published example, for both algorithms.
    private const string Nonce7616 = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string CNonce7616 = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Theory]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616_example_responses(string algorithm, string published)
    {
        Assert.True(DigestCalculator.TryParseAlgorithm(algorithm, out var parsed));
        var response = DigestCalculator.ComputeResponse(
            parsed, new DigestResponseInput("Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html", Nonce7616, "00000001", CNonce7616, "auth"));

        Assert.Equal(published, response);
        Assert.Equal(published, IndependentDigest.Response(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html", Nonce7616, "00000001", CNonce7616));
    }

    [Fact]
    public void Rfc2617_example_response()
    {
        // RFC 2617 §3.5.
        var response = DigestCalculator.ComputeResponse(
            DigestAlgorithm.Md5, new DigestResponseInput("Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth"));

        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    [Fact]
    public void Authorization_header_parameters_are_read_with_quoted_pairs()
    {
        Assert.True(DigestCredentials.TryParse(
            "Digest username=\"Mu\\\"fasa\", realm=\"r, with comma\", nonce=\"n\", uri=\"sip:a@b\", response=\"ab\", qop=auth, nc=00000001, cnonce=\"c\"",
            out var credentials));

        Assert.Equal("Mu\"fasa", credentials.Username);
        Assert.Equal("r, with comma", credentials.Realm);
        Assert.Equal("auth", credentials.Qop);
        Assert.Equal("00000001", credentials.NonceCount);
        Assert.Equal("MD5", credentials.Algorithm);
    }

    [Theory]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("Digest username=\"unterminated")]
    [InlineData("Digest username=\"a\" realm=\"b\"")]
    [InlineData("Digest username=a, username=b")]
    [InlineData("Digestusername=a")]
    [InlineData("Digest =a")]
    public void Malformed_authorization_headers_are_refused(string header) => Assert.False(DigestCredentials.TryParse(header, out _));
}
