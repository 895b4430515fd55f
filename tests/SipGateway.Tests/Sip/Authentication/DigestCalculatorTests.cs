using StepAudio.Telephony.SipGateway.Sip.Authentication;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Authentication;

/// <summary>Published examples: RFC 7616 §3.9.1 (MD5 and SHA-256) and RFC 2617 §3.5 (MD5).</summary>
public sealed class DigestCalculatorTests
{
    private static readonly DigestResponseInput Rfc7616Example = new(
        Username: "Mufasa",
        Realm: "http-auth@example.org",
        Password: "Circle of Life",
        Method: "GET",
        DigestUri: "/dir/index.html",
        Nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
        NonceCount: "00000001",
        Cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
        Qop: "auth");

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData(DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616_section_3_9_1_example(DigestAlgorithm algorithm, string expected)
    {
        Assert.Equal(expected, DigestCalculator.ComputeResponse(algorithm, Rfc7616Example));
    }

    [Fact]
    public void Rfc2617_section_3_5_example()
    {
        var input = new DigestResponseInput(
            "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth");
        Assert.Equal("6629fae49393a05397450978507c4ef1", DigestCalculator.ComputeResponse(DigestAlgorithm.Md5, input));
    }

    [Fact]
    public void Sess_variants_hash_the_nonces_into_ha1()
    {
        // RFC 7616 §3.4.2: HA1 = H(H(user:realm:pass):nonce:cnonce); checked against the plain HA1 composed by hand.
        var plain = DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, "u", "r", "p", "n", null);
        var sess = DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256Sess, "u", "r", "p", "n", "c");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(plain + ":n:c")));
        Assert.Equal(expected, sess);
        Assert.Equal(64, plain.Length);
    }

    [Fact]
    public void Without_qop_the_rfc2069_form_is_used()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, "u", "r", "p", "n", null);
        var ha2 = DigestCalculator.ComputeHa2(DigestAlgorithm.Md5, "REGISTER", "sip:r");
#pragma warning disable CA5351 // the test recomputes the RFC 2069 formula independently
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"{ha1}:n:{ha2}")));
#pragma warning restore CA5351
        Assert.Equal(expected, DigestCalculator.ComputeResponse(DigestAlgorithm.Md5, ha1, "n", null, null, null, ha2));
    }

    [Theory]
    [InlineData(null, DigestAlgorithm.Md5)]
    [InlineData("md5", DigestAlgorithm.Md5)]
    [InlineData("MD5-sess", DigestAlgorithm.Md5Sess)]
    [InlineData("sha-256", DigestAlgorithm.Sha256)]
    [InlineData("SHA-256-sess", DigestAlgorithm.Sha256Sess)]
    public void Algorithm_tokens_parse_case_insensitively(string? token, DigestAlgorithm expected)
    {
        Assert.True(DigestCalculator.TryParseAlgorithm(token, out var algorithm));
        Assert.Equal(expected, algorithm);
    }

    [Fact]
    public void Unsupported_algorithm_is_refused()
    {
        Assert.False(DigestCalculator.TryParseAlgorithm("SHA-512-256", out _));
    }
}
