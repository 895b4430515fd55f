using StepAudio.Telephony.SipGateway.Sip.Authentication;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Authentication;

public sealed class DigestChallengeParserTests
{
    [Fact]
    public void Parses_the_rfc7616_challenge()
    {
        var challenges = Parse("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
            + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
        var c = Assert.Single(challenges);
        Assert.Equal("http-auth@example.org", c.Realm);
        Assert.Equal("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", c.Nonce);
        Assert.Equal("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", c.Opaque);
        Assert.Equal(DigestAlgorithm.Sha256, c.Algorithm);
        Assert.Equal(["auth", "auth-int"], c.Qop);
        Assert.False(c.Stale);
    }

    [Fact]
    public void Quoted_pairs_are_unescaped_and_stale_is_read()
    {
        var c = Assert.Single(Parse("Digest realm=\"a \\\"quoted\\\" realm, with comma\", nonce=\"n\\\\1\", stale=TRUE"));
        Assert.Equal("a \"quoted\" realm, with comma", c.Realm);
        Assert.Equal("n\\1", c.Nonce);
        Assert.True(c.Stale);
        Assert.Equal(DigestAlgorithm.Md5, c.Algorithm);
    }

    [Fact]
    public void Several_challenges_in_one_value_and_sha256_is_preferred()
    {
        var challenges = Parse("Digest realm=\"r\", nonce=\"md5nonce\", algorithm=MD5, qop=\"auth\", "
            + "Basic realm=\"r\", Digest realm=\"r\", nonce=\"shanonce\", algorithm=SHA-256, qop=\"auth\"");
        Assert.Equal(2, challenges.Count);
        var preferred = DigestChallenge.SelectPreferred(challenges);
        Assert.Equal("shanonce", preferred!.Nonce);
    }

    [Theory]
    [InlineData("Digest realm=\"r\"")] // no nonce
    [InlineData("Digest realm=\"r\", nonce=\"n\", algorithm=AKAv1-MD5")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"")]
    [InlineData("Digest realm=\"r\", nonce=\"unterminated")]
    [InlineData("Basic realm=\"r\"")]
    [InlineData("")]
    public void Unanswerable_or_malformed_challenges_are_skipped(string value)
    {
        Assert.Empty(Parse(value));
    }

    private static List<DigestChallenge> Parse(string value)
    {
        var list = new List<DigestChallenge>();
        DigestChallengeParser.Parse(value, list);
        return list;
    }
}
