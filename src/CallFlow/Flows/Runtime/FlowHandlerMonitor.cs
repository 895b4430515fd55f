using System.Globalization;
using StepAudio.Telephony.CallFlow.Flows.Definition;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// Watches the caller's live signals for the flow-wide <c>on_frustration</c> and <c>on_silence</c> handlers and
/// interrupts the running step when one fires. <see cref="ICallSignals.Changed"/> arrives on media and analysis
/// threads while the flow's thread runs steps, so all state is under one lock; the step is stopped through its own
/// cancellation source, and the flow's thread then takes the target with <see cref="TryTakeInterrupt"/>.
/// </summary>
internal sealed class FlowHandlerMonitor : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ICallSignals _signals;
    private readonly FrustrationHandler? _frustration;
    private readonly SilenceHandler? _silence;

    private string _step = string.Empty;
    private CancellationTokenSource? _stepCancellation;
    private TimeSpan? _frustratedSince;
    private bool _frustrationFired;
    private TimeSpan? _waitStartedAt;
    private bool _silenceFiredThisWait;
    private (string Target, string Detail)? _interrupt;

    public FlowHandlerMonitor(FlowHandlers handlers, ICallSignals signals)
    {
        _signals = signals;
        _frustration = handlers.OnFrustration;
        _silence = handlers.OnSilence;
        if (_frustration is not null || _silence is not null)
        {
            _signals.Changed += OnSignalsChanged;
        }
    }

    /// <summary>Starts watching one step; the token stops it when a handler fires or <paramref name="callEnded"/> does.</summary>
    public CancellationToken BeginStep(string step, CancellationToken callEnded)
    {
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(callEnded);
        CancellationTokenSource? previous;
        lock (_gate)
        {
            previous = _stepCancellation;
            _stepCancellation = cancellation;
            _step = step;
            _waitStartedAt = null;
        }

        previous?.Dispose();
        return cancellation.Token;
    }

    /// <summary>The flow now waits for the caller (prompts excluded): <c>on_silence</c> counts from here.</summary>
    public void BeginWait()
    {
        var now = _signals.Now; // outside the lock, as in OnSignalsChanged
        lock (_gate)
        {
            _waitStartedAt = now;
            _silenceFiredThisWait = false;
        }
    }

    /// <summary>The wait is over (input came, or the prompt is repeated).</summary>
    public void EndWait()
    {
        lock (_gate)
        {
            _waitStartedAt = null;
        }
    }

    /// <summary>Takes the step a handler asked for, if one fired since the last call.</summary>
    public bool TryTakeInterrupt(out string target, out string detail)
    {
        lock (_gate)
        {
            if (_interrupt is { } interrupt)
            {
                _interrupt = null;
                (target, detail) = interrupt;
                return true;
            }
        }

        target = detail = string.Empty;
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _signals.Changed -= OnSignalsChanged;
        lock (_gate)
        {
            _stepCancellation?.Dispose();
            _stepCancellation = null;
        }
    }

    private void OnSignalsChanged(object? sender, EventArgs e)
    {
        // The signals are read BEFORE taking the lock: an ICallSignals implementation may take its call's lock, and
        // Changed can be raised by a thread that holds that lock, so reading under ours would order the two locks
        // both ways (a deadlock between the media thread and the periodic tick).
        var now = _signals.Now;
        var frustration = _frustration is null ? 0 : _signals.Frustration;
        var lastActivity = _silence is null ? TimeSpan.Zero : _signals.LastCallerActivity;
        CancellationTokenSource? toCancel;
        lock (_gate)
        {
            if (_interrupt is not null || _stepCancellation is null)
            {
                return;
            }

            var fired = CheckFrustration(now, frustration) ?? CheckSilence(now, lastActivity);
            if (fired is null)
            {
                return;
            }

            _interrupt = fired;
            toCancel = _stepCancellation;
        }

        try
        {
            toCancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The step ended in the meantime; the flow's thread still takes the interrupt after it.
        }
    }

    private (string, string)? CheckFrustration(TimeSpan now, double frustration)
    {
        if (_frustration is not { } handler)
        {
            return null;
        }

        if (frustration <= handler.Above)
        {
            _frustratedSince = null;
            return null;
        }

        _frustratedSince ??= now;
        // Re-entering the target while it runs would restart the agent hand-off it is doing.
        if (now - _frustratedSince < handler.For || (handler.Once && _frustrationFired) || _step == handler.Goto)
        {
            return null;
        }

        _frustrationFired = true;
        _frustratedSince = null;
        return (handler.Goto, string.Create(
            CultureInfo.InvariantCulture,
            $"on_frustration: {frustration:0.##} above {handler.Above:0.##} for {handler.For.TotalSeconds:0.#}s in '{_step}' -> {handler.Goto}"));
    }

    private (string, string)? CheckSilence(TimeSpan now, TimeSpan lastActivity)
    {
        // The target ("are you still there?") waits for an answer of its own; firing there would only restart it.
        if (_silence is not { } handler || _waitStartedAt is not { } waitStarted || _silenceFiredThisWait || _step == handler.Goto)
        {
            return null;
        }

        var since = lastActivity > waitStarted ? lastActivity : waitStarted;
        if (now - since < handler.After)
        {
            return null;
        }

        _silenceFiredThisWait = true;
        return (handler.Goto, string.Create(
            CultureInfo.InvariantCulture,
            $"on_silence: no input for {handler.After.TotalSeconds:0.#}s in '{_step}' -> {handler.Goto}"));
    }
}
