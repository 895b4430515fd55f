using StepAudio.Telephony.CallEngine;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// The transport and the clock of a simulated call: the caller is a WAV file and a DTMF script fed to the call's
/// <see cref="EngineCall"/> in 20 ms frames, and every wait of the flow advances the virtual clock by feeding frames
/// instead of sleeping. Prompts take their length in frames; transfers and recordings are pretended. Only the flow's
/// task drives it, so a simulation runs far faster than real time and gives the same result every time.
/// </summary>
internal sealed class SimulatedCall(SimulationSettings settings, float[] audio16k) : ICallTransport, ICallClock
{
    private const int FrameSamples = 320;
    private const int SampleRate = 16_000;
    private const int PromptSamplesPerFrame = 160; // prompts are 8 kHz

    private readonly float[] _frame = new float[FrameSamples];
    private readonly List<(TimeSpan At, string Digits)> _sentDigits = [];
    private int _nextKey;
    private long _frames;
    private Prompt? _prompt;

    /// <summary>The engine the caller's frames go to; set before the flow starts.</summary>
    public EngineCall? Engine { get; set; }

    /// <summary>The flow's run, ended when the caller hangs up; set before the flow starts.</summary>
    public CallFlowRun? Run { get; set; }

    /// <summary>Virtual time since the call was answered.</summary>
    public TimeSpan Now => TimeSpan.FromSeconds((double)_frames * FrameSamples / SampleRate);

    private bool AudioEnded => _frames * FrameSamples >= audio16k.Length;

    /// <inheritdoc />
    public ValueTask<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);

        // The call never outlives --max-seconds, so a longer wait is that long (and Now + MaxValue cannot overflow).
        var until = Now + (timeout == Timeout.InfiniteTimeSpan || timeout > settings.MaxDuration ? settings.MaxDuration : timeout);
        while (!condition())
        {
            if (Now >= until)
            {
                return ValueTask.FromResult(false);
            }

            Step(cancellationToken);
        }

        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public void Wake()
    {
        // Nothing waits in parallel: the waiter re-checks its condition after every frame.
    }

    /// <inheritdoc />
    /// <remarks>
    /// Call time stands still while the outside work runs (no frames are fed), so a slow model server never makes a
    /// filler play or a caller barge in: the same input gives the same timeline on any machine.
    /// </remarks>
    public async ValueTask<bool> WaitForAsync(Task work, TimeSpan timeout, Task giveUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(giveUp);
        if (work.IsCompleted || timeout <= TimeSpan.Zero)
        {
            return work.IsCompleted;
        }

        await Task.WhenAny(work, giveUp).WaitAsync(cancellationToken).ConfigureAwait(false);
        return work.IsCompleted;
    }

    /// <inheritdoc />
    public Task<bool> PlayAsync(ReadOnlyMemory<short> pcm8k, CancellationToken cancellationToken)
    {
        var prompt = new Prompt(pcm8k.Length);
        if (pcm8k.Length == 0)
        {
            prompt.Finish(true);
            return prompt.Completion;
        }

        _prompt = prompt;
        prompt.StopOn(cancellationToken);
        return prompt.Completion;
    }

    /// <inheritdoc />
    public void StopPlayout() => _prompt?.Finish(false);

    /// <inheritdoc />
    public ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, Action succeeded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(succeeded);
        cancellationToken.ThrowIfCancellationRequested();
        if (settings.TransferFails)
        {
            return ValueTask.FromResult(new TransferOutcome(false, 503, "Service Unavailable (--transfer-fails)"));
        }

        succeeded();
        return ValueTask.FromResult(new TransferOutcome(true, 200, "OK (simulated)"));
    }

    /// <summary>The keys sent to the caller's side (a model's <c>send_dtmf</c>), with when they started, in order.</summary>
    public IReadOnlyList<(TimeSpan At, string Digits)> SentDigits => _sentDigits;

    /// <inheritdoc />
    /// <remarks>Recorded, and takes the call time the keys would take on a live call (100 ms each, 70 ms apart).</remarks>
    public async ValueTask<bool> SendDigitsAsync(string digits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digits);
        _sentDigits.Add((Now, digits));
        var length = TimeSpan.FromMilliseconds((170 * digits.Length) - 70);
        await WaitAsync(static () => false, length, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public ICallRecording StartRecording(string stepName) => new SimulatedRecording(this);

    /// <inheritdoc />
    /// <remarks>The flow ends after a hangup; CallEnded is the simulator's to publish, with the runner's outcome.</remarks>
    public ValueTask HangupAsync(string reason) => ValueTask.CompletedTask;

    /// <summary>Advances the clock by one frame: keys due, caller audio through the engine, prompts, the caller's hangup.</summary>
    private void Step(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var engine = Engine ?? throw new InvalidOperationException("the simulated call has no engine");
        _frames++;
        while (_nextKey < settings.Keys.Count && settings.Keys[_nextKey].At <= Now)
        {
            engine.OnDtmf(settings.Keys[_nextKey++].Digit, TimeSpan.FromMilliseconds(100), "script");
        }

        _frame.AsSpan().Clear();
        var offset = (_frames - 1) * FrameSamples;
        if (offset < audio16k.Length)
        {
            audio16k.AsSpan((int)offset, (int)Math.Min(FrameSamples, audio16k.Length - offset)).CopyTo(_frame);
        }

        engine.OnAudio(_frame);
        if (_prompt is { } prompt && prompt.Advance(PromptSamplesPerFrame))
        {
            _prompt = null;
        }

        if ((settings.HangupAfterWav && AudioEnded && _nextKey >= settings.Keys.Count) || Now >= settings.MaxDuration)
        {
            // Cancel first, then let handlers see the last change: the runner ends the call as abandoned.
            Run?.OnCallEnded("caller", "bye");
        }

        // The contract asks for at least every 100 ms; every frame keeps handlers exact on the virtual clock.
        engine.Signals.Tick();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>One prompt playing on the virtual clock.</summary>
    private sealed class Prompt(int samples)
    {
        private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining = samples;

        public Task<bool> Completion => _done.Task;

        public void StopOn(CancellationToken cancellationToken) => cancellationToken.Register(() => Finish(false));

        /// <summary>One frame played; true when the prompt is over.</summary>
        public bool Advance(int played)
        {
            _remaining -= played;
            if (_remaining <= 0)
            {
                Finish(true);
            }

            return _done.Task.IsCompleted;
        }

        public void Finish(bool completed) => _done.TrySetResult(completed);
    }

    /// <summary>A recording that writes nothing: a simulation keeps no caller audio.</summary>
    private sealed class SimulatedRecording(SimulatedCall call) : ICallRecording
    {
        private readonly TimeSpan _started = call.Now;
        private TimeSpan? _length;

        public string Path => "(not recorded in simulation)";

        public TimeSpan Length => _length ?? call.Now - _started;

        public Exception? Failure => null;

        public void Dispose() => _length ??= call.Now - _started;
    }
}
