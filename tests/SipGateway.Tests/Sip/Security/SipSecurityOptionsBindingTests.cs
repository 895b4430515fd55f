using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.SipGateway.Sip.Security;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

public sealed class SipSecurityOptionsBindingTests
{
    private static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddSipSecurity(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Section_binds_trunks_addresses_credentials_and_limits()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SipSecurity:AllowUnlistedSources"] = "false",
            ["SipSecurity:RequestsPerSecond"] = "20",
            ["SipSecurity:Burst"] = "40",
            ["SipSecurity:MaxTrackedSources"] = "1000",
            ["SipSecurity:NonceLifetime"] = "00:01:00",
            ["SipSecurity:ScannerUserAgents:0"] = "evil-dialer",
            ["SipSecurity:Trunks:0:Name"] = "carrier-a",
            ["SipSecurity:Trunks:0:Addresses:0"] = "203.0.113.0/24",
            ["SipSecurity:Trunks:0:Addresses:1"] = "2001:db8:1::/48",
            ["SipSecurity:Trunks:1:Name"] = "carrier-b",
            ["SipSecurity:Trunks:1:Username"] = "b-user",
            ["SipSecurity:Trunks:1:Password"] = "b-pass",
            ["SipSecurity:Trunks:1:Realm"] = "b.example",
        }).Build();
        using var provider = Build(configuration);

        var options = provider.GetRequiredService<IOptions<SipSecurityOptions>>().Value;

        Assert.False(options.AllowUnlistedSources);
        Assert.Equal((20d, 40, 1000, TimeSpan.FromMinutes(1)), (options.RequestsPerSecond, options.Burst, options.MaxTrackedSources, options.NonceLifetime));
        Assert.Equal(["evil-dialer"], options.ScannerUserAgents);
        Assert.Equal(["carrier-a", "carrier-b"], options.Trunks.Select(t => t.Name));
        Assert.Equal(["203.0.113.0/24", "2001:db8:1::/48"], options.Trunks[0].Addresses);
        Assert.Equal(("b-user", "b-pass", "b.example"), (options.Trunks[1].Username, options.Trunks[1].Password, options.Trunks[1].Realm));
        Assert.True(provider.GetRequiredService<SipRequestFilter>().AdmitDatagram(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 5060)));
    }

    [Fact]
    public void Shipped_appsettings_keep_the_demo_open_with_the_default_scanner_list()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var configuration = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
        using var provider = Build(configuration);

        var options = provider.GetRequiredService<IOptions<SipSecurityOptions>>().Value;

        Assert.True(options.AllowUnlistedSources);
        Assert.Empty(options.Trunks);
        Assert.Null(options.ScannerUserAgents);
        Assert.Contains("friendly-scanner", SipSecurityOptions.DefaultScannerUserAgents);
        Assert.Equal((50d, 100), (options.RequestsPerSecond, options.Burst));
    }
}
