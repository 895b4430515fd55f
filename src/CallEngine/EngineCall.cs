using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.CallEngine.Conversation;
using StepAudio.Telephony.CallEngine.Events;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallEngine.Recognition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Policy;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Recognition;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.CallEngine;

/// <summary>
/// One call between "audio frames in" and "events out": caller audio → 16 kHz → voice activity → speech segments and
/// turns → analysis (emotion, vocal sounds, frustration) → events stamped in sequence, and the caller's keys and turns
/// queued for the call's flow. Knows nothing of SIP or RTP: the gateway feeds it decoded RTP on the real clock, the
/// simulator a WAV file on a virtual one. Audio, keys and control calls may come from different threads; the state is
/// guarded by one lock that is never held across I/O. The way from audio to turns is <see cref="CallerSpeechPipeline"/>'s;
/// this type keeps the call's state (confirmed, prompts, ended) and its control calls.
/// </summary>
public sealed class EngineCall : IDisposable
{
    private readonly object _gate = new();
    private readonly ISpeechDetector _detector;
    private readonly CallerSpeechPipeline _speech;
    private readonly CallEventFactory _events;
    private readonly Action<ICallEvent> _publish;
    private readonly ListeningPolicy? _policy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TurnWords? _words;
    private long _confirmedAt;
    private int _promptsPlaying;
    private bool _ended;
    private bool _deaf;
    private readonly DtmfSourcePin _dtmfSource = new();

    /// <summary>Creates the engine for one call; nothing is published before <see cref="Confirm"/>.</summary>
    /// <param name="setup">The call's id, detector, clock and where its events go.</param>
    public EngineCall(EngineCallSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _detector = setup.Detector;
        _events = new CallEventFactory(setup.CallId, setup.Time);
        _publish = setup.Publish;
        _policy = setup.Policy;
        _time = setup.Time;
        _logger = setup.Logger;
        Clock = setup.Clock ?? new RealTimeCallClock(setup.Time);
        TurnAnalysisWait = (setup.AnalysisOptions ?? new CallAnalysisOptions()).TurnAnalysisWait;

        // Without a runner nothing is analysed, but frustration still follows the caller's behaviour (keys, barge-in).
        Analysis = new CallAnalysis(
            setup.Analysis, setup.AnalysisOptions ?? new CallAnalysisOptions(), setup.Frustration ?? new FrustrationOptions(), _events, Publish, _gate, _time,
            Clock.Wake,
            _words = setup.Recognizer is { } recognizer ? new TurnWords(new CallerWords(recognizer, _logger)) : null);
        Signals = new EngineSignals(() => SinceConfirmed, Analysis);
        var pauses = new SpeechPauseWatch(_detector, Clock);
        Conversation = new CallConversationHost(_gate, Analysis, pauses, PublishWhileLive);
        Input.Posted += i => Signals.OnCallerInput(i.At);
        Input.Posted += _ => Clock.Wake();
        _speech = new CallerSpeechPipeline(this, _detector, pauses, _words, _policy, _events, Publish, () => SpeechStarted?.Invoke(), _logger);
    }

    /// <summary>The gateway's id of the call (also the events' <c>callId</c>).</summary>
    public string CallId => _events.CallId;

    /// <summary>Windows of the caller's audio the VAD gave up because inference fell behind (in <c>CallEnded</c>).</summary>
    public long VadWindowsSkipped => _detector.WindowsSkipped;

    /// <summary>The clock the call's time and events run on.</summary>
    public TimeProvider Time => _time;

    /// <summary>How the call's waits pass time.</summary>
    public ICallClock Clock { get; }

    /// <summary>The caller's keys and turns, for the flow.</summary>
    public CallerInputQueue Input { get; } = new();

    /// <summary>The analysis as a flow reads it.</summary>
    public EngineSignals Signals { get; }

    /// <summary>Emotion, vocal sounds, frustration and turn latency.</summary>
    public CallAnalysis Analysis { get; }

    /// <summary>What a conversation with a model (<c>converse</c>) reads from the call and publishes into it.</summary>
    public CallConversationHost Conversation { get; }

    /// <summary>How long after a turn's end a flow waits for its analysis (<see cref="CallAnalysisOptions.TurnAnalysisWait"/>).</summary>
    public TimeSpan TurnAnalysisWait { get; }

    /// <summary>Whether the caller acknowledged the answer (the call clock runs from then).</summary>
    public bool IsConfirmed => Volatile.Read(ref _confirmedAt) != 0;

    /// <summary>Time since the call was confirmed, on the engine's clock: the call time a flow sees.</summary>
    public TimeSpan SinceConfirmed => Volatile.Read(ref _confirmedAt) is var at and not 0 ? _time.GetElapsedTime(at) : TimeSpan.Zero;

    /// <summary>Whether a prompt is playing (speech then is a barge-in).</summary>
    public bool PromptPlaying => Volatile.Read(ref _promptsPlaying) > 0;

    /// <summary>Key presses dropped because they came from a second source (see <see cref="OnDtmf"/>).</summary>
    public long DtmfFromOtherSources => _dtmfSource.Ignored;

    /// <summary>
    /// Raised on the audio thread, under the call's lock, when the caller starts to speak, after the engine has
    /// decided about barge-in: the transport stops prompts it plays on its own (a greeting). Handlers must be quick.
    /// </summary>
    public event Action? SpeechStarted;

    /// <summary>The call is up: publishes <c>CallStarted</c> and starts the call clock. Only the first call counts.</summary>
    public void Confirm(string from, string to, string codec, string? flow = null, string? flowVersion = null)
    {
        if (Interlocked.CompareExchange(ref _confirmedAt, Math.Max(1, _time.GetTimestamp()), 0) != 0)
        {
            return;
        }

        lock (_gate)
        {
            Publish(_events.Started(from, to, codec, flow, flowVersion));
        }
    }

    /// <summary>Decoded caller audio at 8 kHz (upsampled here) or 16 kHz, continuing the call's stream.</summary>
    public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate)
    {
        lock (_gate)
        {
            if (!_ended && !_deaf)
            {
                _speech.OnAudio(pcm, sampleRate);
            }
        }
    }

    /// <summary>Caller audio already at 16 kHz (a simulation's WAV file), continuing the call's stream.</summary>
    public void OnAudio(ReadOnlySpan<float> samples16k)
    {
        lock (_gate)
        {
            if (!_ended && !_deaf)
            {
                _speech.OnAudio(samples16k);
            }
        }
    }

    /// <summary>One key press, taken only from the first source the call heard one from (<see cref="DtmfSourcePin"/>).</summary>
    public void OnDtmf(char digit, TimeSpan duration, string source)
    {
        lock (_gate)
        {
            if (_ended || _deaf || !IsConfirmed)
            {
                return;
            }

            if (!_dtmfSource.Admits(source))
            {
                EngineCallLog.DtmfOtherSource(_logger, CallId, digit, source, _dtmfSource.Trusted!);
                return;
            }

            EngineCallLog.Dtmf(_logger, CallId, digit, (int)duration.TotalMilliseconds, source);
            Publish(_events.Dtmf(digit, duration, source));
            Analysis.OnDtmf(digit);
            Input.Post(new CallerInput(CallerInputKind.Digit, SinceConfirmed, digit));
        }
    }

    /// <summary>
    /// The flow ended the call (hang-up, transfer): what the caller does from here until the transport has torn the
    /// call down is no part of it. Without this a live call would hear a few hundred milliseconds more than a
    /// simulation of the same audio, whose clock stops with the flow.
    /// </summary>
    public void StopListening()
    {
        lock (_gate)
        {
            _deaf = true;
        }
    }

    /// <summary>A prompt started (<paramref name="promptId"/> names it for repeated-prompt frustration).</summary>
    /// <param name="promptId">Names the prompt: the flow's step.</param>
    /// <param name="continuation">The same prompt again without waiting for an answer (<c>loop</c>): not a repeat.</param>
    public void OnPromptStarted(string promptId, bool continuation = false)
    {
        lock (_gate)
        {
            _promptsPlaying++;
            Analysis.OnPromptStarted(promptId, continuation);
        }
    }

    /// <summary>A prompt ended, played out or stopped.</summary>
    public void OnPromptFinished()
    {
        lock (_gate)
        {
            _promptsPlaying = Math.Max(0, _promptsPlaying - 1);
            Analysis.OnPromptFinished();
        }
    }

    /// <summary>Publishes <c>CallTransferred</c> in the call's event sequence; <paramref name="requestedBy"/> is <c>flow</c>, <c>model</c> or <c>remote</c>.</summary>
    public void PublishTransferred(string target, string mode, string step, string flow, string requestedBy = "flow")
    {
        lock (_gate)
        {
            if (!_ended)
            {
                Publish(_events.Transferred(target, mode, step, flow, Analysis.Frustration.Current, requestedBy));
            }
        }
    }

    /// <summary>The words of caller turn <paramref name="turn"/> (null without a recogniser, or when none were heard).</summary>
    public Task<RecognitionResult?> WordsOf(int turn) => _words?.Of(turn) ?? Task.FromResult<RecognitionResult?>(null);

    /// <summary>Why the listening policy wants the call ended now (silence, length), or null.</summary>
    public string? ReasonToHangUp()
    {
        if (!IsConfirmed || _policy is null)
        {
            return null;
        }

        lock (_gate)
        {
            return _policy.Evaluate(SinceConfirmed);
        }
    }

    /// <summary>
    /// The call ended (no audio follows): closes an open speech segment, waits for the queued analyses and the flow's
    /// outcome, and publishes <c>CallEnded</c> last. Nothing is published for calls that were never confirmed.
    /// </summary>
    /// <param name="endedBy">Who ended it (<c>caller</c>, <c>gateway</c>).</param>
    /// <param name="reason">Why.</param>
    /// <param name="flowResult">The flow's outcome, awaited after the analyses; null when no flow ran.</param>
    public async Task CompleteAsync(string endedBy, string reason, Func<Task<FlowResult?>>? flowResult = null)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            if (!IsConfirmed)
            {
                Input.Complete();
                return;
            }

            // Speech still open when the caller hung up is the caller's last turn. When the flow ended the call,
            // what the caller had not finished by then is no part of it (StopListening).
            if (!_deaf)
            {
                _speech.CloseOpenSpeech();
            }

            Analysis.OnAudioEnded(flush: !_deaf);
        }

        // Outside the lock: the analyses still queued publish under it, and all of them must precede CallEnded.
        var summary = await Analysis.CompleteAsync().ConfigureAwait(false);
        Input.Complete();
        Clock.Wake();
        var flow = flowResult is null ? null : await flowResult().ConfigureAwait(false);
        lock (_gate)
        {
            Publish(_events.Ended(SinceConfirmed, endedBy, reason, _speech.Segments, summary, flow, _detector.WindowsSkipped));
        }
    }

    /// <summary>Releases the detector.</summary>
    public void Dispose()
    {
        _detector.Dispose();
        _words?.Dispose();
    }

    private void Publish(ICallEvent callEvent)
    {
        try
        {
            _publish(callEvent);
            Conversation.OnPublished(callEvent);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A sink's failure (a full queue, a broken printer) must not stop the call's media.
            EngineCallLog.EventRejected(_logger, callEvent.GetType().Name, CallId, ex);
        }
    }

    // A conversation's own events: stamped in the call's sequence under its lock, and never after CallEnded.
    private void PublishWhileLive(Func<CallEventFactory, ICallEvent> create)
    {
        lock (_gate)
        {
            if (!_ended)
            {
                Publish(create(_events));
            }
        }
    }
}
