using StepAudio.Telephony.Analytics.Service.Deduplication;

namespace StepAudio.Telephony.Analytics.Service.Tests.Deduplication;

public sealed class RecentKeysTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_key_is_accepted_once_and_its_value_kept()
    {
        var keys = new RecentKeys<string, int>(10, TimeSpan.FromHours(1));

        Assert.True(keys.TryAdd("a", 1, T0));
        Assert.False(keys.TryAdd("a", 2, T0));
        Assert.True(keys.TryGetValue("a", T0, out var value));
        Assert.Equal(1, value);
    }

    [Fact]
    public void The_oldest_keys_go_first_when_the_capacity_is_exceeded()
    {
        var keys = new RecentKeys<int, bool>(3, TimeSpan.FromHours(1));
        for (var i = 0; i < 5; i++)
        {
            keys.TryAdd(i, true, T0.AddSeconds(i));
        }

        Assert.Equal(3, keys.Count);
        Assert.False(keys.TryGetValue(1, T0.AddSeconds(5), out _));
        Assert.True(keys.TryGetValue(2, T0.AddSeconds(5), out _));
    }

    [Fact]
    public void A_key_expires_once_the_window_has_passed()
    {
        var keys = new RecentKeys<int, bool>(10, TimeSpan.FromMinutes(10));
        keys.TryAdd(1, true, T0);

        Assert.False(keys.TryAdd(1, true, T0.AddMinutes(9)));
        Assert.True(keys.TryAdd(1, true, T0.AddMinutes(10)));
    }
}
