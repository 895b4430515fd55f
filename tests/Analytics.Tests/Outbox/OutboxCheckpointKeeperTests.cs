using StepAudio.Telephony.Analytics.Outbox;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

public sealed class OutboxCheckpointKeeperTests
{
    [Fact]
    public void A_save_is_due_every_256_removals_or_after_100_ms()
    {
        using var folder = new TempDirectory();
        var time = new ManualTimeProvider();
        var (keeper, gate) = NewKeeper(folder.Path, time, segments: 1);

        for (var i = 1; i < 256; i++)
        {
            Assert.False(Removed(keeper, gate, new OutboxPosition(0, i)), $"due after {i} removals");
        }

        Assert.True(Removed(keeper, gate, new OutboxPosition(0, 256)));
        keeper.Save();
        Assert.False(Removed(keeper, gate, new OutboxPosition(0, 257)));
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(Removed(keeper, gate, new OutboxPosition(0, 258)));
    }

    [Fact]
    public void A_save_writes_the_checkpoint_then_deletes_only_the_segments_it_has_passed()
    {
        using var folder = new TempDirectory();
        var (keeper, gate) = NewKeeper(folder.Path, new ManualTimeProvider(), segments: 3);
        Removed(keeper, gate, new OutboxPosition(2, 40));

        keeper.Save();

        Assert.True(OutboxCheckpoint.TryRead(folder.Path, out var saved, out _));
        Assert.Equal(new OutboxPosition(2, 40), saved);
        Assert.Equal(new[] { false, false, true }, Enumerable.Range(0, 3).Select(i => File.Exists(OutboxSegments.PathOf(folder.Path, i))));
    }

    [Fact]
    public void When_the_checkpoint_cannot_be_written_no_segment_is_deleted()
    {
        using var folder = new TempDirectory();
        var (keeper, gate) = NewKeeper(folder.Path, new ManualTimeProvider(), segments: 3);
        Directory.CreateDirectory(OutboxCheckpoint.PathIn(folder.Path)); // the rename over it fails
        Removed(keeper, gate, new OutboxPosition(2, 0));

        Assert.ThrowsAny<IOException>(keeper.Save);

        Assert.All(Enumerable.Range(0, 3), i => Assert.True(File.Exists(OutboxSegments.PathOf(folder.Path, i))));
    }

    [Fact]
    public void A_save_with_nothing_delivered_since_the_last_one_writes_nothing()
    {
        using var folder = new TempDirectory();
        var (keeper, _) = NewKeeper(folder.Path, new ManualTimeProvider(), segments: 2);

        keeper.Save();

        Assert.False(File.Exists(OutboxCheckpoint.PathIn(folder.Path)));
        Assert.True(File.Exists(OutboxSegments.PathOf(folder.Path, 0)));
    }

    private static (OutboxCheckpointKeeper Keeper, Lock Gate) NewKeeper(string directory, TimeProvider time, int segments)
    {
        var indices = new List<long>();
        for (var i = 0; i < segments; i++)
        {
            File.WriteAllBytes(OutboxSegments.PathOf(directory, i), []);
            indices.Add(i);
        }

        var gate = new Lock();
        return (new OutboxCheckpointKeeper(directory, gate, indices, new OutboxPosition(0, 0), time), gate);
    }

    private static bool Removed(OutboxCheckpointKeeper keeper, Lock gate, OutboxPosition next)
    {
        lock (gate)
        {
            return keeper.Removed(next);
        }
    }
}
