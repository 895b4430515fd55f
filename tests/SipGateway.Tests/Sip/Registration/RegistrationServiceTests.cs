using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.SipGateway.Sip.Registration;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Registration;

public sealed class RegistrationServiceTests
{
    [Fact]
    public void Registrations_array_binds_to_trunk_options()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Registrations:0:Name"] = "carrier",
            ["Registrations:0:Registrar"] = "sip.carrier.example:5080",
            ["Registrations:0:Username"] = "4420700000",
            ["Registrations:0:Password"] = "from-env",
            ["Registrations:0:Expires"] = "600",
            ["Registrations:1:Name"] = "backup",
            ["Registrations:1:Registrar"] = "192.0.2.10",
            ["Registrations:1:Username"] = "gw",
            ["Registrations:1:AuthUsername"] = "auth-gw",
        }).Build();
        using var provider = new ServiceCollection().AddSingleton(TimeProvider.System).AddLogging()
            .AddTrunkRegistrations(configuration).BuildServiceProvider();

        var trunks = provider.GetRequiredService<IOptions<RegistrationOptions>>().Value.Trunks;

        Assert.Equal(["carrier", "backup"], trunks.Select(t => t.Name));
        Assert.Equal(600, trunks[0].Expires);
        Assert.Equal(3600, trunks[1].Expires);
        Assert.Equal("auth-gw", trunks[1].AuthUsername);
        Assert.Equal("udp", trunks[1].Transport);
        Assert.Equal(TimeSpan.FromSeconds(30), trunks[1].RetryInterval);
    }

    [Fact]
    public void Invalid_trunk_fails_at_construction_naming_the_setting()
    {
        var options = new RegistrationOptions();
        options.Trunks.Add(new TrunkOptions { Name = "t", Registrar = "host:notaport", Username = "u" });
        var ex = Assert.Throws<ArgumentException>(() => new RegistrationService(
            Options.Create(options), new SipClientChannel(TimeProvider.System), TimeProvider.System, NullLoggerFactory.Instance));
        Assert.Contains("Registrar", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_registers_every_trunk_on_the_shared_socket_and_unregisters_on_stop()
    {
        await using var registrar = new FakeRegistrar((request, _) => (200, "Expires: 300\r\n"));
        var sipOptions = new SipOptions { ListenAddress = "127.0.0.1", Port = 0 };
        await using var server = new SipUserAgentServer(sipOptions, new TestCallHandler(), NullLoggerFactory.Instance);
        await server.StartAsync();
        var channel = new SipClientChannel(TimeProvider.System);
        var options = new RegistrationOptions();
        options.Trunks.Add(new TrunkOptions { Name = "a", Registrar = $"127.0.0.1:{registrar.Port}", Username = "a" });
        options.Trunks.Add(new TrunkOptions { Name = "b", Registrar = $"127.0.0.1:{registrar.Port}", Username = "b" });
        using var service = new RegistrationService(Options.Create(options), channel, TimeProvider.System, LoggerFactory.Create(_ => { }));

        await service.StartAsync(CancellationToken.None);
        channel.Attach(server, sipOptions); // the gateway attaches once its socket is bound
        var trunks = await service.TrunksAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        // A deadline rather than a count of sleeps, which a loaded machine stretches and the round trips outlast.
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (trunks.Any(t => t.Status.State != RegistrationState.Registered) && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(25);
        }

        Assert.All(trunks, t => Assert.Equal(RegistrationState.Registered, t.Status.State));
        Assert.All(registrar.Requests, r => Assert.Equal(server.LocalEndPoint.Port, r.TopVia!.Port));

        await service.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        Assert.All(trunks, t => Assert.Equal(RegistrationState.Unregistered, t.Status.State));
        var removals = registrar.Requests.Where(r => r.Headers.GetFirst("Expires") == "0").Select(r => r.From!.Uri).Order().ToList();
        Assert.Equal(["sip:a@127.0.0.1", "sip:b@127.0.0.1"], removals);
    }
}
