using System.Globalization;
using System.Net;
using System.Text.Json;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.EndToEnd.Tests.Calls;

/// <summary>
/// SIGTERM drains the gateway: from that moment a new INVITE and an OPTIONS probe get 503 with Retry-After (so a
/// load balancer such as Kamailio's dispatcher moves on) and /readyz says not ready, while the call in progress goes
/// on to its own BYE; then the process exits by itself. No Kamailio needed: the probes are what Kamailio would send.
/// </summary>
public sealed class DrainTests : IDisposable
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-drain-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task On_SIGTERM_new_calls_and_probes_get_503_while_the_call_in_progress_finishes_then_the_gateway_exits()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Drain__Timeout"] = "00:01:00",
            ["Drain__RetryAfter"] = "00:00:17",
            ["Calls__Greeting"] = "",
            // JSON lines with full timestamps, as the systemd unit and the container images configure them.
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HealthPort}/"), Timeout = ProbeTimeout };
        Assert.Equal("ok\n", await http.GetStringAsync("healthz"));
        await Eventually.TrueAsync(async () => await ReadyStatusAsync(http) == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        Assert.StartsWith("SIP/2.0 200", await SipProbe.SendAsync(gateway.SipPort, "OPTIONS", ProbeTimeout), StringComparison.Ordinal);

        // A call that stays up 12 s; SIGTERM arrives once it has been answered. Everything up to the last probe below
        // (a kill process, readiness polls, two SIP probes) must happen while the call is still up: on a loaded
        // machine that takes seconds, so the call lasts several times longer.
        var call = Sipp.CallAsync(gateway.SipPort, "uac", _work, pause: TimeSpan.FromSeconds(12));
        await Eventually.TrueAsync(async () => await CallsAcceptedAsync(gateway) >= 1, TimeSpan.FromSeconds(30));
        await gateway.SignalTerminateAsync();

        await Eventually.TrueAsync(async () => await ReadyStatusAsync(http) == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30));
        using (var readiness = JsonDocument.Parse(await (await http.GetAsync("readyz")).Content.ReadAsStringAsync()))
        {
            Assert.False(readiness.RootElement.GetProperty("ready").GetBoolean());
            Assert.Contains(readiness.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "draining" && !c.GetProperty("ok").GetBoolean());
        }

        var options = await SipProbe.SendAsync(gateway.SipPort, "OPTIONS", ProbeTimeout);
        var invite = await SipProbe.SendAsync(gateway.SipPort, "INVITE", ProbeTimeout);
        Assert.False(gateway.HasExited, "the gateway exited before its call ended:\n" + gateway.Output);
        foreach (var response in new[] { options, invite })
        {
            Assert.StartsWith("SIP/2.0 503", response, StringComparison.Ordinal);
            Assert.Contains("Retry-After: 17", response, StringComparison.OrdinalIgnoreCase);
        }

        var sipp = await call;
        Assert.True(sipp.ExitCode == 0, "the call in progress did not finish normally: " + sipp.Describe() + "\n--- gateway ---\n" + gateway.Output);
        Assert.True(await gateway.WaitForExitAsync(TimeSpan.FromSeconds(40)), "gateway still running after its last call:\n" + gateway.Output);
        Assert.Equal(0, gateway.ExitCode);
        Assert.Contains("\"Drain ended after", gateway.Output, StringComparison.Ordinal);
        AssertJsonLogsWithFullTimestamps(gateway.Output);
    }

    private static async Task<HttpStatusCode?> ReadyStatusAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("readyz");
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<double> CallsAcceptedAsync(GatewayProcess gateway)
    {
        using var http = new HttpClient { Timeout = ProbeTimeout };
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{gateway.MetricsPort}/metrics");
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("sip_uas_calls_accepted_total", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private static void AssertJsonLogsWithFullTimestamps(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{'))
            .ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines.Take(20))
        {
            using var entry = JsonDocument.Parse(line);
            var timestamp = entry.RootElement.GetProperty("Timestamp").GetString()!;
            var parsed = DateTimeOffset.ParseExact(timestamp, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            Assert.InRange(parsed, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
        }
    }
}
