using System.Globalization;
using System.Text;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.EndToEnd.Tests.Outbox;

/// <summary>
/// A gateway killed with SIGKILL while the broker is unreachable loses none of the events it accepted: they sit
/// in its disk outbox, and the next gateway started on the same outbox delivers them, complete and in sequence.
/// </summary>
public sealed class GatewayKillTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-").FullName;
    private readonly string _outbox;

    public GatewayKillTests() => _outbox = Path.Combine(_work, "outbox");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Events_held_in_the_outbox_of_a_killed_gateway_are_delivered_after_restart()
    {
        await using var events = await EventCollector.StartAsync();
        int callPort;
        await using (var offline = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["RabbitMq__Port"] = FreePort.Tcp().ToString(CultureInfo.InvariantCulture),
            ["Publishing__Outbox__Directory"] = _outbox,
        }))
        {
            callPort = offline.SipPort;
            var sipp = await Sipp.CallAsync(callPort, "uac", _work, pause: TimeSpan.FromSeconds(1));
            Assert.True(sipp.ExitCode == 0, "sipp uac failed: " + sipp.Describe() + "\n--- gateway ---\n" + offline.Output);

            // The call's last event is on disk (the outbox stores each record's type name in clear) before the kill.
            await Eventually.TrueAsync(() => OutboxText().Contains(nameof(CallEnded), StringComparison.Ordinal), TimeSpan.FromSeconds(20));
            await offline.KillAsync();
        }

        Assert.Empty(events.CallsTo(callPort)); // nothing could have reached the broker before the restart

        await using var restarted = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Publishing__Outbox__Directory"] = _outbox,
        });

        var call = (await events.WaitForEndedCallsAsync(callPort, 1, TimeSpan.FromSeconds(60))).Single()
            .DistinctBy(e => e.EventId) // the restart may re-send what it sent before its first checkpoint
            .ToList();
        Assert.IsType<CallStarted>(call[0]);
        Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal(Enumerable.Range(1, call.Count).Select(i => (long)i), call.Select(e => e.Sequence));
    }

    /// <summary>The outbox's segment files, read as text so record type names can be found.</summary>
    private string OutboxText()
    {
        if (!Directory.Exists(_outbox))
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(_outbox, "outbox-*.log"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }
}
