using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// A call on a virtual clock: the caller is a WAV file and a DTMF script, the gateway's analysis runs on the audio
/// in 20 ms frames, and every wait of the flow advances the clock by feeding frames instead of sleeping. Single
/// threaded, so a simulation runs far faster than real time and gives the same trace every time.
/// </summary>
internal sealed class SimulatedCall : ICallChannel, ICallSignals
{
    private const int FrameSamples = 320;
    private const int SampleRate = 16_000;
    private const int PromptRate = 8_000;

    private readonly CallerHearing _hearing;
    private readonly SimulationSettings _settings;
    private readonly SimulationEvents _events;
    private readonly ISpeechSynthesizer _speech;
    private readonly IPromptStore _prompts;
    private readonly CancellationTokenSource _hungUp;
    private readonly Queue<CallerInput> _input = new();
    private readonly float[] _frame = new float[FrameSamples];
    private int _nextKey;
    private long _frames;
    private bool _promptPlaying;
    private long _inputArrivals;
    private TimeSpan _lastActivity;

    public SimulatedCall(
        SimulationSettings settings, CallerHearing hearing, SimulationEvents events, ISpeechSynthesizer speech, IPromptStore prompts, CancellationTokenSource hungUp)
    {
        _settings = settings;
        _hearing = hearing;
        _events = events;
        _speech = speech;
        _prompts = prompts;
        _hungUp = hungUp;
        _hearing.SpeechStarted += OnSpeechStarted;
        _hearing.SpeechEnded += (start, end) => Arrive(new CallerInput(CallerInputKind.SpeechEnded, Now, Duration: end - start));
    }

    public event EventHandler? Changed;

    public CallInfo Info => _settings.Call;

    public ICallSignals Signals => this;

    /// <summary>The step the flow is in (from its trace): the prompt id for repeated-prompt frustration.</summary>
    public string CurrentStep { get; set; } = string.Empty;

    /// <summary>The flow's name, carried to CallTransferred.</summary>
    public string FlowName { get; set; } = string.Empty;

    public TimeSpan Now => TimeSpan.FromSeconds((double)_frames * FrameSamples / SampleRate);

    public string Emotion => _hearing.Emotion;

    public double Frustration => _hearing.Frustration.Current;

    public bool CallerSpeaking => _hearing.InSpeech;

    public TimeSpan LastCallerActivity => _hearing.LastVoiced > _lastActivity ? _hearing.LastVoiced : _lastActivity;

    public int VocalEventCount(string kind, TimeSpan since) => _hearing.VocalEventCount(kind, since);

    public async ValueTask<PromptResult> SayAsync(string text, string? voice, bool bargeIn, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<short> audio;
        try
        {
            audio = await _speech.SynthesizeAsync(text, voice, cancellationToken).ConfigureAwait(false);
        }
        catch (SpeechSynthesisException e)
        {
            throw new FlowActionException($"cannot say '{text}': {e.Message}", e);
        }

        return Play(audio.Length, bargeIn, cancellationToken);
    }

    public async ValueTask<PromptResult> PlayAsync(string file, bool bargeIn, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<short> audio;
        try
        {
            audio = await _prompts.GetAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (PromptUnavailableException e)
        {
            throw new FlowActionException($"cannot play '{file}': {e.Message}", e);
        }

        return Play(audio.Length, bargeIn, cancellationToken);
    }

    public ValueTask PauseAsync(TimeSpan length, CancellationToken cancellationToken)
    {
        var until = Now + length;
        while (Now < until)
        {
            Step(cancellationToken);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<CallerInput?> NextInputAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The call never outlives --max-seconds, so a longer wait is that long (and Now + MaxValue cannot overflow).
        var until = Now + (timeout < _settings.MaxDuration ? timeout : _settings.MaxDuration);
        while (_input.Count == 0 && Now < until)
        {
            Step(cancellationToken);
        }

        return ValueTask.FromResult<CallerInput?>(_input.Count > 0 ? _input.Dequeue() : null);
    }

    public void ClearInput() => _input.Clear();

    public ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_settings.TransferFails)
        {
            return ValueTask.FromResult(new TransferOutcome(false, 503, "Service Unavailable (--transfer-fails)"));
        }

        _events.Transferred(Now, target, mode.ToString().ToLowerInvariant(), CurrentStep, FlowName, Frustration);
        return ValueTask.FromResult(new TransferOutcome(true, 200, "OK (simulated)"));
    }

    public ValueTask<RecordingResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken)
    {
        var start = Now;
        var endedBy = "max_length";
        while (Now - start < request.MaxLength)
        {
            Step(cancellationToken);
            if (_input.Count > 0 && _input.Peek() is { Kind: CallerInputKind.Digit } key && key.Digit == request.FinishOnKey)
            {
                _input.Dequeue();
                endedBy = "key";
                break;
            }

            if (!CallerSpeaking && Now - Max(LastCallerActivity, start) >= request.SilenceTimeout)
            {
                endedBy = "silence";
                break;
            }
        }

        _input.Clear();
        return ValueTask.FromResult(new RecordingResult("(not recorded in simulation)", Now - start, endedBy));
    }

    // The flow ends after a hangup; CallEnded is the simulator's to publish, with the runner's outcome.
    public ValueTask HangupAsync(string reason) => ValueTask.CompletedTask;

    /// <summary>Advances the clock by one frame: keys due, caller audio through the analysis, the caller's hangup.</summary>
    private void Step(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _frames++;
        while (_nextKey < _settings.Keys.Count && _settings.Keys[_nextKey].At <= Now)
        {
            var key = _settings.Keys[_nextKey++];
            _lastActivity = Now;
            _events.Dtmf(Now, key.Digit);
            _hearing.OnDtmf(key.Digit, Now);
            Arrive(new CallerInput(CallerInputKind.Digit, Now, key.Digit));
        }

        _hearing.Feed(_frame);
        if ((_settings.HangupAfterWav && _hearing.AudioEnded && _nextKey >= _settings.Keys.Count) || Now >= _settings.MaxDuration)
        {
            // Cancel first, then let handlers see the last change: the runner ends the call as abandoned.
            _hungUp.Cancel();
        }

        // The contract asks for at least every 100 ms; every frame keeps handlers exact on the virtual clock.
        Changed?.Invoke(this, EventArgs.Empty);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private PromptResult Play(int samples8k, bool bargeIn, CancellationToken cancellationToken)
    {
        var length = TimeSpan.FromSeconds((double)samples8k / PromptRate);
        var start = Now;
        var arrivals = _inputArrivals;
        _hearing.OnPromptStarted(CurrentStep, start);
        _promptPlaying = true;
        try
        {
            while (Now - start < length)
            {
                Step(cancellationToken);
                if (bargeIn && _inputArrivals != arrivals)
                {
                    return PromptResult.BargedIn;
                }
            }
        }
        finally
        {
            _promptPlaying = false;
        }

        _hearing.OnPromptFinished(Now);
        return PromptResult.Completed;
    }

    private void OnSpeechStarted(TimeSpan at)
    {
        _hearing.OnSpeechStarted(at, _promptPlaying);
        Arrive(new CallerInput(CallerInputKind.SpeechStarted, Now));
    }

    private void Arrive(CallerInput input)
    {
        _inputArrivals++;
        _lastActivity = Now;
        _input.Enqueue(input);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
