using System.Globalization;
using System.Net;
using MassTransit.UsageTracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Service.Hosting;
using StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.Analytics.Service.Tests.Web;

/// <summary>/readyz follows the broker consumer; the service's durable queue is a quorum queue; nothing phones home.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Ready_without_a_broker_to_consume_from_and_not_ready_while_the_broker_is_unreachable()
    {
        await using (var local = await RunningService.StartAsync())
        {
            using var http = new HttpClient { BaseAddress = local.Address };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
        }

        await using var cutOff = await RunningService.StartAsync(RabbitMqBroker.UniqueQueueName("unreachable"), new Dictionary<string, string?>
        {
            ["RabbitMq:Port"] = FreePort.Tcp().ToString(CultureInfo.InvariantCulture),
        });
        using var client = new HttpClient { BaseAddress = cutOff.Address };
        var response = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"ready\":false", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("ok", await client.GetStringAsync("/healthz")); // alive all the same
    }

    [Fact]
    public async Task The_durable_queue_is_a_quorum_queue_and_readiness_follows_the_connected_consumer()
    {
        await RabbitMqBroker.RequireReachableAsync();
        var queue = RabbitMqBroker.UniqueQueueName("quorum");
        try
        {
            await using var service = await RunningService.StartAsync(queue, new Dictionary<string, string?> { ["Analytics:TransientQueue"] = "false" });
            using var http = new HttpClient { BaseAddress = service.Address };
            await Eventually.TrueAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));

            var listed = await ExternalTool.RunAsync("rabbitmqctl", ["-q", "list_queues", "name", "type", "durable"], null, TimeSpan.FromSeconds(60));
            var line = Assert.Single(listed.StandardOutput.Split('\n'), l => l.StartsWith(queue + "\t", StringComparison.Ordinal));
            Assert.Equal([queue, "quorum", "true"], line.Trim().Split('\t'));
        }
        finally
        {
            await ExternalTool.RunAsync("rabbitmqctl", ["-q", "delete_queue", queue], null, TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public void MassTransit_usage_telemetry_is_switched_off()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY")));
        var app = AnalyticsServiceHost.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:ConsumeFromBroker"] = "true",
            ["Analytics:Http:Urls"] = "http://127.0.0.1:0",
        }));
        try
        {
            Assert.False(Assert.IsType<UsageTracker>(app.Services.GetRequiredService<IUsageTracker>()).Enabled);
        }
        finally
        {
            ((IDisposable)app).Dispose();
        }
    }

    [Fact]
    public async Task A_write_batch_size_below_one_stops_the_service_at_start_and_names_the_setting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningService.StartAsync(
            overrides: new Dictionary<string, string?> { ["Analytics:Store:WriteBatchSize"] = "0" }));
        Assert.Contains("Analytics:Store:WriteBatchSize must be at least 1", error.Message, StringComparison.Ordinal);
    }
}
