namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>
/// How time passes for a call's waits. The engine never sleeps and never starts a timer of its own: every wait of a
/// flow (for a key, for a prompt to end, for a turn's analysis) goes through here. The gateway waits on the real clock
/// (<see cref="RealTimeCallClock"/>); a simulation lets call time pass by feeding the caller's next frames, so a long
/// call simulates in moments and the same input always gives the same result.
/// </summary>
public interface ICallClock
{
    /// <summary>
    /// Lets call time pass until <paramref name="condition"/> holds (true) or <paramref name="timeout"/> of call time
    /// has passed without it (false). <see cref="Timeout.InfiniteTimeSpan"/> waits for the condition alone.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    ValueTask<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Something a waiter may be waiting for has happened: re-check the conditions. Never blocks.</summary>
    void Wake();

    /// <summary>
    /// Waits for work outside the call (a model server's answer) at most <paramref name="timeout"/> of call time, or
    /// until <paramref name="giveUp"/> completes; true when <paramref name="work"/> completed. The gateway waits in real
    /// time; a simulation counts outside work as taking no call time (call time stands still while it runs), so the
    /// outcome never depends on how fast the machine or the server happened to be.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    ValueTask<bool> WaitForAsync(Task work, TimeSpan timeout, Task giveUp, CancellationToken cancellationToken);
}
