using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

public sealed class FlowHandlerMonitorLockTests
{
    /// <summary>
    /// The gateway's signals read the call's analysis under the call's lock, and Changed can be raised by a thread
    /// holding that lock while another thread (the periodic tick) is inside the monitor. Reading the signals under the
    /// monitor's own lock ordered the two locks both ways and hung a real call; this reproduces that interleaving.
    /// </summary>
    [Fact]
    public async Task Changed_raised_under_the_signals_lock_while_another_thread_checks_does_not_deadlock()
    {
        var signals = new LockingSignals();
        var handlers = new FlowHandlers
        {
            OnFrustration = new FrustrationHandler(0.7, TimeSpan.FromSeconds(3), "agent", true, new SourceLocation("f.yaml", 1, 1)),
        };
        // Not `using`: after a deadlock, Dispose would wait for the monitor's lock forever and hang the run.
        var monitor = new FlowHandlerMonitor(handlers, signals);
        monitor.BeginStep("menu", CancellationToken.None);

        // The tick thread enters the monitor and blocks reading Frustration until the media thread holds the call lock.
        signals.BlockNextFrustrationReadUntilLockHeld = true;
        var tick = Task.Run(signals.RaiseChanged);
        Assert.True(signals.FrustrationReadStarted.Wait(TimeSpan.FromSeconds(10)), "the tick never read the signals");

        var media = Task.Run(() =>
        {
            lock (signals.CallLock)
            {
                signals.CallLockHeld.Set();
                signals.RaiseChanged(); // as a key press under the call's lock would
            }
        });

        var both = Task.WhenAll(tick, media);
        var finished = await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == both, "the monitor deadlocked between the call's lock and its own");
        await both;
        monitor.Dispose();
    }

    private sealed class LockingSignals : ICallSignals
    {
        public object CallLock { get; } = new();

        public ManualResetEventSlim CallLockHeld { get; } = new();

        public ManualResetEventSlim FrustrationReadStarted { get; } = new();

        public bool BlockNextFrustrationReadUntilLockHeld { get; set; }

        public TimeSpan Now => TimeSpan.FromSeconds(10);

        public string Emotion => "neutral";

        public double Frustration
        {
            get
            {
                if (BlockNextFrustrationReadUntilLockHeld && !FrustrationReadStarted.IsSet)
                {
                    FrustrationReadStarted.Set();
                    CallLockHeld.Wait(TimeSpan.FromSeconds(10));
                }

                lock (CallLock)
                {
                    return 0.9;
                }
            }
        }

        public bool CallerSpeaking => false;

        public TimeSpan LastCallerActivity => TimeSpan.Zero;

        public event EventHandler? Changed;

        public int VocalEventCount(string kind, TimeSpan since) => 0;

        public void RaiseChanged() => Changed?.Invoke(this, EventArgs.Empty);
    }
}
