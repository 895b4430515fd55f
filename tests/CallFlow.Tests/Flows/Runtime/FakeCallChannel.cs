using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

/// <summary>
/// A scripted call on a virtual clock: prompts take <see cref="PromptLength"/>, the caller's keys, speech, sounds
/// and frustration happen at scripted times, and time moves in 100 ms ticks only while the flow waits on the
/// channel, raising <see cref="Changed"/> on each tick as the gateway does.
/// </summary>
internal sealed class FakeCallChannel : ICallChannel, ICallSignals, IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly List<CallerInput> _inputs = [];
    private readonly HashSet<int> _interrupted = [];
    private readonly List<(TimeSpan At, double Value)> _frustration = [];
    private readonly List<(TimeSpan At, string Kind)> _sounds = [];
    private readonly CancellationTokenSource _callEnded = new();
    private int _nextInput;
    private TimeSpan? _hangUpAt;

    public FakeCallChannel(CallInfo? info = null) => Info = info ?? new CallInfo("call-1", "+15550001", "+15550100", "carrier-a");

    public event EventHandler? Changed;

    public CallInfo Info { get; }

    public ICallSignals Signals => this;

    public TimeSpan Now { get; private set; }

    public string Emotion => Frustration > 0.5 ? "frustrated" : "neutral";

    public double Frustration => _frustration.LastOrDefault(f => f.At <= Now).Value;

    public bool CallerSpeaking => false;

    public TimeSpan LastCallerActivity =>
        _inputs.Where(i => i.At <= Now).Select(i => i.At).DefaultIfEmpty(TimeSpan.Zero).Max();

    /// <summary>Fires when the scripted caller hangs up.</summary>
    public CancellationToken CallEnded => _callEnded.Token;

    public TimeSpan PromptLength { get; set; } = TimeSpan.FromSeconds(2);

    public Dictionary<string, TimeSpan> PromptLengths { get; } = new(StringComparer.Ordinal);

    public HashSet<string> MissingPrompts { get; } = new(StringComparer.Ordinal);

    public TransferOutcome TransferResult { get; set; } = new(true, 202, "Accepted");

    public Exception? RecordFailure { get; set; }

    public List<(TimeSpan At, string Text, string? Voice)> Said { get; } = [];

    public List<string> Played { get; } = [];

    public List<(string Target, TransferMode Mode)> Transfers { get; } = [];

    /// <summary>Who decided each transfer in <see cref="Transfers"/>, in the same order.</summary>
    public List<TransferRequester> TransferRequesters { get; } = [];

    public List<string> Hangups { get; } = [];

    public List<RecordRequest> Recordings { get; } = [];

    public FakeCallChannel Press(TimeSpan at, string keys, double spacingSeconds = 0.5)
    {
        foreach (var key in keys)
        {
            Add(new CallerInput(CallerInputKind.Digit, at, key));
            at += TimeSpan.FromSeconds(spacingSeconds);
        }

        return this;
    }

    public FakeCallChannel Speak(TimeSpan at, TimeSpan length, string? words = null, double? confidence = null)
    {
        Add(new CallerInput(CallerInputKind.SpeechStarted, at));
        Add(new CallerInput(CallerInputKind.SpeechEnded, at + length, Duration: length, Text: words, Confidence: confidence));
        return this;
    }

    /// <summary>A breath the VAD first took for speech, then dropped as too short: no turn.</summary>
    public FakeCallChannel Breathe(TimeSpan at, TimeSpan length)
    {
        Add(new CallerInput(CallerInputKind.SpeechStarted, at));
        Add(new CallerInput(CallerInputKind.SpeechDropped, at + length));
        return this;
    }

    /// <summary>Speech whose end turn detection never reports.</summary>
    public FakeCallChannel StartSpeaking(TimeSpan at)
    {
        Add(new CallerInput(CallerInputKind.SpeechStarted, at));
        return this;
    }

    public FakeCallChannel FrustrationAt(TimeSpan at, double value)
    {
        _frustration.Add((at, value));
        _frustration.Sort((a, b) => a.At.CompareTo(b.At));
        return this;
    }

    public FakeCallChannel Sound(TimeSpan at, string kind)
    {
        _sounds.Add((at, kind));
        return this;
    }

    public FakeCallChannel HangUpAt(TimeSpan at)
    {
        _hangUpAt = at;
        return this;
    }

    public int VocalEventCount(string kind, TimeSpan since) =>
        _sounds.Count(s => s.Kind == kind && s.At >= since && s.At <= Now);

    public async ValueTask<PromptResult> SayAsync(string text, string? voice, PromptInterruption interruptible, CancellationToken cancellationToken)
    {
        Said.Add((Now, text, voice));
        return await PromptAsync(PromptLengths.GetValueOrDefault(text, PromptLength), interruptible, cancellationToken);
    }

    public async ValueTask<PromptResult> PlayAsync(string file, PromptInterruption interruptible, CancellationToken cancellationToken)
    {
        if (MissingPrompts.Contains(file))
        {
            throw new FlowActionException($"prompt '{file}' does not exist");
        }

        Played.Add(file);
        return await PromptAsync(PromptLength, interruptible, cancellationToken);
    }

    public List<TimeSpan> Pauses { get; } = [];

    /// <summary>The file <see cref="RecordAsync"/> says it wrote; null: a made-up path that does not exist.</summary>
    public string? RecordingFile { get; set; }

    public ValueTask PauseAsync(TimeSpan length, CancellationToken cancellationToken)
    {
        Pauses.Add(length);
        Advance(Now + length, cancellationToken);
        return ValueTask.CompletedTask;
    }

    public ValueTask<CallerInput?> NextInputAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Now + timeout;
        while (true)
        {
            if (_nextInput < _inputs.Count && _inputs[_nextInput].At <= Now)
            {
                return ValueTask.FromResult<CallerInput?>(_inputs[_nextInput++]);
            }

            if (Now >= deadline)
            {
                return ValueTask.FromResult<CallerInput?>(null);
            }

            Advance(Min(deadline, NextInputAt), cancellationToken);
        }
    }

    public void ClearInput()
    {
        while (_nextInput < _inputs.Count && _inputs[_nextInput].At <= Now)
        {
            _nextInput++;
        }
    }

    public ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, TransferRequester requestedBy, CancellationToken cancellationToken)
    {
        Transfers.Add((target, mode));
        TransferRequesters.Add(requestedBy);
        Advance(Now + TimeSpan.FromSeconds(1), cancellationToken);
        return ValueTask.FromResult(TransferResult);
    }

    public ValueTask<RecordingResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken)
    {
        Recordings.Add(request);
        if (RecordFailure is not null)
        {
            throw RecordFailure;
        }

        Advance(Now + TimeSpan.FromSeconds(3), cancellationToken);
        return ValueTask.FromResult(new RecordingResult(RecordingFile ?? $"/recordings/{Info.CallId}-{request.StepName}.wav", TimeSpan.FromSeconds(3), "silence"));
    }

    public ValueTask HangupAsync(string reason)
    {
        Hangups.Add(reason);
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _callEnded.Dispose();

    private TimeSpan NextInputAt => _nextInput < _inputs.Count ? _inputs[_nextInput].At : TimeSpan.MaxValue;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>When the next input that may stop a prompt with <paramref name="interruptible"/> comes, after now.</summary>
    private TimeSpan NextInterruptionAt(PromptInterruption interruptible)
    {
        for (var i = _nextInput; i < _inputs.Count; i++)
        {
            var input = _inputs[i];
            var stops = input.Kind switch
            {
                CallerInputKind.Digit => (interruptible & PromptInterruption.Keys) != 0,
                CallerInputKind.SpeechStarted => (interruptible & PromptInterruption.Speech) != 0,
                _ => false,
            };
            if (stops && input.At > Now)
            {
                return input.At;
            }
        }

        return TimeSpan.MaxValue;
    }

    private ValueTask<PromptResult> PromptAsync(TimeSpan length, PromptInterruption interruptible, CancellationToken cancellationToken)
    {
        var start = Now;
        var end = Now + length;
        var bargeIn = interruptible != PromptInterruption.None;
        while (true)
        {
            // As in the engine, what arrives while the prompt plays stops it; what came before is only type-ahead.
            for (var i = _nextInput; i < _inputs.Count && _inputs[i].At <= Now; i++)
            {
                if (_inputs[i].At < start || !_interrupted.Add(i))
                {
                    continue; // before this prompt, or it already stopped one: it arrives once
                }

                if (_inputs[i].Kind == CallerInputKind.Digit && (interruptible & PromptInterruption.Keys) != 0)
                {
                    return ValueTask.FromResult(PromptResult.KeyPressed);
                }

                if (_inputs[i].Kind == CallerInputKind.SpeechStarted && (interruptible & PromptInterruption.Speech) != 0)
                {
                    return ValueTask.FromResult(PromptResult.BargedIn);
                }
            }

            if (Now >= end)
            {
                return ValueTask.FromResult(PromptResult.Completed);
            }

            Advance(bargeIn ? Min(end, NextInterruptionAt(interruptible)) : end, cancellationToken);
        }
    }

    /// <summary>Moves the clock towards <paramref name="until"/> by at most one tick.</summary>
    private void Advance(TimeSpan until, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Now = Min(Now + Tick, until);
        if (_hangUpAt <= Now)
        {
            _callEnded.Cancel();
        }

        Changed?.Invoke(this, EventArgs.Empty);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Add(CallerInput input)
    {
        _inputs.Add(input);
        _inputs.Sort((a, b) => a.At.CompareTo(b.At));
    }
}
