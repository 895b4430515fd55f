using StepAudio.Telephony.Analytics.Consumer.Printing;

namespace StepAudio.Telephony.Analytics.Tests.Consumer;

public sealed class RecentEventIdsTests
{
    [Fact]
    public void An_id_seen_within_the_window_is_a_duplicate()
    {
        var recent = new RecentEventIds(capacity: 3);
        var id = Guid.NewGuid();

        Assert.True(recent.TryAdd(id));
        Assert.False(recent.TryAdd(id));
        Assert.True(recent.TryAdd(Guid.NewGuid()));
        Assert.False(recent.TryAdd(id));
    }

    [Fact]
    public void The_oldest_id_is_forgotten_once_the_window_is_full()
    {
        var recent = new RecentEventIds(capacity: 2);
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var third = Guid.NewGuid();

        Assert.True(recent.TryAdd(first));
        Assert.True(recent.TryAdd(second));
        Assert.True(recent.TryAdd(third));

        // first left the window when third came in; second and third are still remembered.
        Assert.True(recent.TryAdd(first));
        Assert.False(recent.TryAdd(third));
    }
}
