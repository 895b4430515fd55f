namespace StepAudio.Telephony.Testing;

/// <summary>Waits for something another thread does (a packet handled, an event delivered), with a bound.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test if <paramref name="timeout"/> passes first.</summary>
    /// <exception cref="TimeoutException">The condition did not hold in time.</exception>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var giveUp = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= giveUp)
            {
                throw new TimeoutException($"The condition was not reached within {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(5));
        }
    }

    /// <summary>As <see cref="TrueAsync(Func{bool}, TimeSpan, TimeSpan?)"/> for a condition that must await (an HTTP probe).</summary>
    /// <exception cref="TimeoutException">The condition did not hold in time.</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var giveUp = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= giveUp)
            {
                throw new TimeoutException($"The condition was not reached within {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(50));
        }
    }
}
