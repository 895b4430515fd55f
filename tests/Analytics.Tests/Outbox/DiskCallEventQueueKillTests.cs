using static StepAudio.Telephony.Analytics.Tests.Outbox.OutboxTestSupport;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

[Collection(OutboxTestGroup.Name)]
public sealed class DiskCallEventQueueKillTests
{
    [Fact]
    public async Task A_writer_killed_with_SIGKILL_mid_stream_loses_no_accepted_event()
    {
        using var folder = new TempDirectory();
        var lines = new List<string>();
        using (var writer = OutboxWriterProcess.Start(folder.Path))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (OutboxWriterProcess.Last(lines, "accepted") < 3000)
            {
                var line = await writer.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"writer exited early: {await writer.StandardError.ReadToEndAsync()}");
                lines.Add(line);
            }

            writer.Kill(); // SIGKILL: no Dispose, no final checkpoint or fsync
            await writer.WaitForExitAsync(timeout.Token);
            lines.AddRange((await writer.StandardOutput.ReadToEndAsync(timeout.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        var lastAccepted = OutboxWriterProcess.Last(lines, "accepted");
        var lastDelivered = OutboxWriterProcess.Last(lines, "delivered");
        using var recovered = Open(Options(folder.Path, segmentBytes: 8 * 1024, maxBytes: 1L << 30));
        var replayed = Take(recovered).Select(e => e.Sequence).ToList();

        Assert.NotEmpty(replayed);
        var first = replayed[0];
        Assert.Equal(Enumerable.Range((int)first, replayed.Count).Select(i => (long)i), replayed); // in order, no gap
        // The child may have removed one more event than it printed before the kill landed, never more.
        Assert.InRange(first, 1, lastDelivered + 2);
        Assert.True(replayed[^1] >= lastAccepted, $"accepted up to {lastAccepted}, replayed up to {replayed[^1]}");
        Assert.True(first > 1, "the checkpoint should have moved during 1000 deliveries");
    }
}
