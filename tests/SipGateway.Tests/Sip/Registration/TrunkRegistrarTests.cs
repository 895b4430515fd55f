using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Authentication;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Registration;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Registration;

/// <summary>TrunkRegistrar against a scripted loopback registrar, over the gateway's real UDP socket.</summary>
public sealed partial class TrunkRegistrarTests
{
    private const string Password = "pa55";

    [Fact]
    public async Task Answers_the_sha256_challenge_when_md5_is_also_offered()
    {
        await using var registrar = new FakeRegistrar((request, index) => index == 0
            ? (401, "WWW-Authenticate: Digest realm=\"r\", nonce=\"md5n\", algorithm=MD5, qop=\"auth\"\r\n"
                + "WWW-Authenticate: Digest realm=\"r\", nonce=\"shan\", algorithm=SHA-256, qop=\"auth\"\r\n")
            : (VerifySha256(request) ? 200 : 403, "Expires: 600\r\n"));
        var trunk = await RunUntilAsync(registrar, t => t.Status.State != RegistrationState.Unregistered);

        Assert.Equal(RegistrationState.Registered, trunk.Status.State);
        var authorization = registrar.Requests[1].Headers.GetFirst("Authorization")!;
        Assert.Contains("algorithm=SHA-256", authorization, StringComparison.Ordinal);
        Assert.Contains("nonce=\"shan\"", authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_challenge_after_answering_stops_with_bad_credentials()
    {
        await using var registrar = new FakeRegistrar((_, index) =>
            (401, $"WWW-Authenticate: Digest realm=\"r\", nonce=\"n{index}\", qop=\"auth\"\r\n"));
        var trunk = await RunUntilAsync(registrar, t => t.Status.State == RegistrationState.Failed);

        Assert.Equal(401, trunk.Status.LastStatusCode);
        await Task.Delay(300); // a third REGISTER would arrive within this (loopback)
        Assert.Equal(2, registrar.Requests.Count);
    }

    [Fact]
    public async Task Interval_too_brief_is_retried_with_min_expires()
    {
        await using var registrar = new FakeRegistrar((request, _) => request.Headers.GetFirst("Expires") == "60"
            ? (423, "Min-Expires: 1800\r\n")
            : (200, $"Contact: <sip:other@192.0.2.1>;expires=99\r\nContact: {request.Headers.GetFirst(SipHeaderId.Contact)};expires=1700\r\n"));
        var trunk = await RunUntilAsync(registrar, t => t.Status.State != RegistrationState.Unregistered);

        Assert.Equal(RegistrationState.Registered, trunk.Status.State);
        Assert.Equal("1800", registrar.Requests[1].Headers.GetFirst("Expires"));

        // The granted time is our Contact's expires param (1700), not the other binding's or the request's.
        var remaining = trunk.Status.ExpiresAt!.Value - DateTimeOffset.UtcNow;
        Assert.InRange(remaining.TotalSeconds, 1690, 1700);
    }

    [Fact]
    public async Task Requests_keep_Call_ID_and_From_tag_and_increment_CSeq()
    {
        await using var registrar = new FakeRegistrar((_, index) => index == 0
            ? (401, "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n")
            : (200, "Expires: 2\r\n"));
        await RunUntilAsync(registrar, _ => registrar.Requests.Count >= 3);

        var requests = registrar.Requests.Take(3).ToList();
        Assert.Single(requests.Select(r => r.CallId).Distinct());
        Assert.Single(requests.Select(r => r.From!.Tag).Distinct());
        Assert.Equal([1u, 2u, 3u], requests.Select(r => r.CSeq!.Value.Number));
        Assert.All(requests, r => Assert.Equal("sip:example.net", r.RequestUri));
        Assert.Equal("<sip:trunkuser@example.net>", requests[0].Headers.GetFirst(SipHeaderId.To));
    }

    private static bool VerifySha256(SipRequest request)
    {
        var value = request.Headers.GetFirst("Authorization") ?? string.Empty;
        string Field(string name) => Regex.Match(value, name + "=\"?([^\",]+)\"?").Groups[1].Value;
        var expected = DigestCalculator.ComputeResponse(DigestAlgorithm.Sha256, new DigestResponseInput(
            "trunkuser", "r", Password, "REGISTER", Field("uri"), Field("nonce"), Field("nc"), Field("cnonce"), Field("qop")));
        return Field("response") == expected;
    }

    private static async Task<TrunkRegistrar> RunUntilAsync(FakeRegistrar registrar, Func<TrunkRegistrar, bool> condition)
    {
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0 };
        await using var server = new SipUserAgentServer(options, new TestCallHandler(), NullLoggerFactory.Instance);
        await server.StartAsync();
        var binding = new SipClientChannel(TimeProvider.System).Attach(server, options);
        var trunk = new TrunkRegistrar(
            new TrunkOptions { Name = "fake", Registrar = $"127.0.0.1:{registrar.Port}", Domain = "example.net", Username = "trunkuser", Password = Password, Expires = 60 },
            binding, TimeProvider.System, NullLogger<TrunkRegistrar>.Instance);
        using var stop = new CancellationTokenSource();
        var run = trunk.RunAsync(stop.Token);
        // A deadline rather than a count of sleeps: on a loaded machine each sleep overruns, and the registration's own
        // round trips (and a 2 s refresh) take longer than the 5 s a count of 200 short sleeps stood for.
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition(trunk) && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(25);
        }

        await stop.CancelAsync();
        await run;
        Assert.True(condition(trunk), $"condition not reached; status {trunk.Status}, {registrar.Requests.Count} request(s)");
        return trunk;
    }
}
