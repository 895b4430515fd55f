namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

/// <summary>Runs playback against a <see cref="ManualTimeProvider"/>: fires each timer as soon as one is armed.</summary>
internal static class ClockDriver
{
    /// <summary>Advances <paramref name="clock"/> timer by timer until <paramref name="work"/> completes.</summary>
    /// <param name="clock">The clock the playback's timers were created on.</param>
    /// <param name="work">The playback.</param>
    /// <param name="afterEachTimer">Runs after each fired timer (e.g. to drain a socket).</param>
    public static async Task RunAsync(ManualTimeProvider clock, Task work, Action? afterEachTimer = null)
    {
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!work.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < giveUp, "playback did not finish");
            if (clock.TryAdvanceToNextTimer())
            {
                afterEachTimer?.Invoke();
            }
            else
            {
                // The playback loop is between timers on another thread (e.g. after Task.Run or a yield).
                await Task.Yield();
            }
        }

        afterEachTimer?.Invoke();
        await work;
    }
}
