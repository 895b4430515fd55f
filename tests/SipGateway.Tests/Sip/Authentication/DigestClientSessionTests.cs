using StepAudio.Telephony.SipGateway.Sip.Authentication;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Authentication;

public sealed class DigestClientSessionTests
{
    private const string Rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Fact]
    public void Builds_the_rfc7616_sha256_authorization()
    {
        var session = new DigestClientSession("Mufasa", "Circle of Life", () => Rfc7616Cnonce);
        var challenge = new DigestChallenge("http-auth@example.org", Rfc7616Nonce, DigestAlgorithm.Sha256, ["auth", "auth-int"], "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", false);
        Assert.True(session.Accept(challenge, isProxy: false));

        var value = session.CreateAuthorization("GET", "/dir/index.html");

        Assert.Equal(
            "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
            + "uri=\"/dir/index.html\", response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", algorithm=SHA-256, "
            + "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, nc=00000001, opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"",
            value);
    }

    [Fact]
    public void Nonce_count_increments_per_request_and_restarts_with_a_new_nonce()
    {
        var session = new DigestClientSession("u", "p", () => "c");
        session.Accept(new DigestChallenge("r", "n1", DigestAlgorithm.Md5, ["auth"], null, false), false);
        Assert.Contains("nc=00000001", session.CreateAuthorization("REGISTER", "sip:r"), StringComparison.Ordinal);
        Assert.Contains("nc=00000002", session.CreateAuthorization("REGISTER", "sip:r"), StringComparison.Ordinal);

        session.BeginAttempt();
        session.Accept(new DigestChallenge("r", "n2", DigestAlgorithm.Md5, ["auth"], null, false), false);
        Assert.Contains("nc=00000001", session.CreateAuthorization("REGISTER", "sip:r"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_non_stale_challenge_in_one_attempt_means_bad_credentials_but_stale_is_answered()
    {
        var session = new DigestClientSession("u", "p");
        session.BeginAttempt();
        Assert.True(session.Accept(new DigestChallenge("r", "n1", DigestAlgorithm.Md5, [], null, false), false));
        session.CreateAuthorization("REGISTER", "sip:r");

        Assert.True(session.Accept(new DigestChallenge("r", "n2", DigestAlgorithm.Md5, [], null, Stale: true), false));
        session.CreateAuthorization("REGISTER", "sip:r");

        Assert.False(session.Accept(new DigestChallenge("r", "n3", DigestAlgorithm.Md5, [], null, false), false));
    }

    [Fact]
    public void Preemptive_credentials_from_an_older_challenge_do_not_count_as_rejected()
    {
        var session = new DigestClientSession("u", "p");
        session.BeginAttempt();
        session.Accept(new DigestChallenge("r", "n1", DigestAlgorithm.Md5, [], null, false), false);
        session.CreateAuthorization("REGISTER", "sip:r");

        // The refresh reuses n1; the registrar issues a fresh nonce without stale=true (common in practice).
        session.BeginAttempt();
        session.CreateAuthorization("REGISTER", "sip:r");
        Assert.True(session.Accept(new DigestChallenge("r", "n2", DigestAlgorithm.Md5, [], null, false), false));
    }

    [Fact]
    public void Without_qop_no_cnonce_or_nc_is_sent()
    {
        var session = new DigestClientSession("u", "p");
        session.Accept(new DigestChallenge("r", "n", DigestAlgorithm.Md5, [], null, false), true);
        var value = session.CreateAuthorization("REGISTER", "sip:r")!;
        Assert.DoesNotContain("nc=", value, StringComparison.Ordinal);
        Assert.DoesNotContain("cnonce", value, StringComparison.Ordinal);
        Assert.True(session.IsProxy);
    }
}
