using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Registration;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Registration;

/// <summary>
/// Registration from the gateway's own SIP socket against the real sipp acting as registrar
/// (deploy/sipp/registrar_digest.xml), which checks the digest answer itself with verifyauth.
/// </summary>
public sealed class TrunkRegistrarSippTests
{
    [Fact]
    public async Task Registers_with_digest_refreshes_before_expiry_and_unregisters_on_stop()
    {
        await using var sipp = SippRegistrar.Start("registrar_digest.xml");
        await using var server = await StartServerAsync();
        var registrar = CreateRegistrar(server, sipp.Port, password: "s3cret");

        using var stop = new CancellationTokenSource();
        var run = registrar.RunAsync(stop.Token);

        // The scenario grants 2 s, then 30 s to the refresh: a 30 s expiry proves the refresh was accepted.
        var refreshed = await WaitForAsync(
            () => registrar.Status is { State: RegistrationState.Registered, ExpiresAt: { } at } && at - DateTimeOffset.UtcNow > TimeSpan.FromSeconds(10),
            TimeSpan.FromSeconds(30)); // a sipp process and three round trips on a possibly loaded machine
        if (!refreshed)
        {
            await stop.CancelAsync();
            Assert.Fail($"no refresh accepted; status {registrar.Status}\n{(await sipp.WaitAsync(TimeSpan.FromSeconds(1))).Diagnostics}");
        }

        await stop.CancelAsync();
        await run;
        using var unregisterTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await registrar.UnregisterAsync(unregisterTimeout.Token);
        Assert.Equal(RegistrationState.Unregistered, registrar.Status.State);

        var (exitCode, messages, diagnostics) = await sipp.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(exitCode == 0, diagnostics);
        Assert.Contains("Authorization: Digest username=\"gw-user\"", messages, StringComparison.Ordinal);
        Assert.Contains("Expires: 0", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_rejected_by_sipp_and_the_trunk_reports_failed()
    {
        await using var sipp = SippRegistrar.Start("registrar_digest.xml");
        await using var server = await StartServerAsync();
        var registrar = CreateRegistrar(server, sipp.Port, password: "wrong");

        using var stop = new CancellationTokenSource();
        var run = registrar.RunAsync(stop.Token);
        var failed = await WaitForAsync(() => registrar.Status.State == RegistrationState.Failed, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await run;

        Assert.True(failed, $"status {registrar.Status}");
        Assert.Equal(403, registrar.Status.LastStatusCode);
        var (exitCode, messages, diagnostics) = await sipp.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(exitCode != 0, "sipp should fail the call on invalid credentials\n" + diagnostics);
        Assert.Contains("SIP/2.0 403 Forbidden", messages, StringComparison.Ordinal);
    }

    private static async Task<SipUserAgentServer> StartServerAsync()
    {
        var server = new SipUserAgentServer(new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, new TestCallHandler(), NullLoggerFactory.Instance);
        await server.StartAsync();
        return server;
    }

    private static TrunkRegistrar CreateRegistrar(SipUserAgentServer server, int registrarPort, string password)
    {
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0 };
        var binding = new SipClientChannel(TimeProvider.System).Attach(server, options);
        var trunk = new TrunkOptions
        {
            Name = "sipp",
            Registrar = $"127.0.0.1:{registrarPort}",
            Domain = "trunk.example",
            Username = "gw-user",
            Password = password,
            Expires = 60,
            RetryInterval = TimeSpan.FromSeconds(30),
        };
        return new TrunkRegistrar(trunk, binding, TimeProvider.System, NullLogger<TrunkRegistrar>.Instance);
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }
}
