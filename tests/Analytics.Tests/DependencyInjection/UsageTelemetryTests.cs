using MassTransit.UsageTracking;
using Microsoft.Extensions.DependencyInjection;
using StepAudio.Telephony.Analytics.DependencyInjection;

namespace StepAudio.Telephony.Analytics.Tests.DependencyInjection;

/// <summary>
/// MassTransit 8.4+ posts "usage telemetry" to an outside host some time after the bus starts, unless its tracker is
/// disabled; a disabled tracker returns before building the report or starting the HTTP call. Privacy: nothing phones home.
/// </summary>
public sealed class UsageTelemetryTests
{
    [Fact]
    public async Task The_publishers_bus_has_MassTransit_usage_telemetry_switched_off()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY")),
            "MASSTRANSIT_USAGE_TELEMETRY is set in the test environment and would override the configuration");
        var services = new ServiceCollection().AddLogging();
        services.AddCallEventPublishing(configureOutbox: o => o.Enabled = false);

        await using var provider = services.BuildServiceProvider(); // the tracker is IAsyncDisposable only

        Assert.False(Assert.IsType<UsageTracker>(provider.GetRequiredService<IUsageTracker>()).Enabled);
    }
}
