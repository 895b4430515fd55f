using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.CallEngine.Conversation;
using StepAudio.Telephony.CallEngine.Events;
using StepAudio.Telephony.CallEngine.Recognition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Policy;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.CallEngine;

/// <summary>
/// The caller's audio of one <see cref="EngineCall"/> on its way to turns: to 16 kHz, through voice activity, into
/// speech segments, each published, recognised, analysed and posted to the flow as a turn; speech starts and
/// speech too short to be a segment are posted too. Not thread-safe: every member is called under the call's lock.
/// </summary>
internal sealed class CallerSpeechPipeline
{
    private const int SampleRate = SpeechSegment.SampleRate;

    private readonly EngineCall _call;
    private readonly ISpeechDetector _detector;
    private readonly CallerAudioConverter _converter = new();
    private readonly List<SpeechSegment> _closed = [];
    private readonly SpeechPauseWatch _pauses;
    private readonly TurnWords? _words;
    private readonly ListeningPolicy? _policy;
    private readonly CallEventFactory _events;
    private readonly Action<ICallEvent> _publish;
    private readonly Action _speechStarted;
    private readonly ILogger _logger;
    private int _analysisFailures;
    private bool _speechAnnounced;

    /// <param name="call">The call: its analysis, input queue, clock and prompt state.</param>
    /// <param name="detector">The call's voice activity detector; its speech starts are handled here from now on.</param>
    /// <param name="pauses">Told of every frame and speech start (a conversation's end-of-turn pauses).</param>
    /// <param name="words">The recogniser of caller turns, or null.</param>
    /// <param name="policy">The listening policy told of speech starts and ends, or null.</param>
    /// <param name="events">The call's event factory.</param>
    /// <param name="publish">Publishes an event in the call's sequence (never throws).</param>
    /// <param name="speechStarted">Raises <see cref="EngineCall.SpeechStarted"/>.</param>
    /// <param name="logger">Where failed inference is logged.</param>
    public CallerSpeechPipeline(
        EngineCall call, ISpeechDetector detector, SpeechPauseWatch pauses, TurnWords? words, ListeningPolicy? policy,
        CallEventFactory events, Action<ICallEvent> publish, Action speechStarted, ILogger logger)
    {
        _call = call;
        _detector = detector;
        _pauses = pauses;
        _words = words;
        _policy = policy;
        _events = events;
        _publish = publish;
        _speechStarted = speechStarted;
        _logger = logger;
        _detector.SpeechStarted += (_, e) => OnSpeechStarted(e.SpeechStartSample);
    }

    /// <summary>Speech segments closed so far (in <c>CallEnded</c>).</summary>
    public int Segments { get; private set; }

    /// <summary>Decoded caller audio at 8 kHz (upsampled here) or 16 kHz.</summary>
    public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate)
    {
        // The detector gets the frame at the rate it scores: as received when that is the frame's rate, else the
        // 16 kHz frame made for the analysis, so a narrowband frame scored at 16 kHz (Vad:NarrowbandAt8kHz off,
        // or a call that began wideband) is upsampled once, here, not again in the detector.
        var samples16k = _converter.To16k(pcm, sampleRate, out var asReceived);
        if (_detector.ScoringRate(sampleRate) == sampleRate)
        {
            Process(samples16k, asReceived, sampleRate);
        }
        else
        {
            Process(samples16k, samples16k, SpeechSegment.SampleRate);
        }
    }

    /// <summary>Caller audio already at 16 kHz (a simulation's WAV file).</summary>
    public void OnAudio(ReadOnlySpan<float> samples16k) => Process(samples16k, samples16k, SpeechSegment.SampleRate);

    /// <summary>The caller hung up: speech still open is the caller's last turn (published and analysed, not posted).</summary>
    public void CloseOpenSpeech()
    {
        _closed.Clear();
        _detector.Complete(_closed);
        foreach (var segment in _closed)
        {
            OnSegment(segment, callEnding: true);
        }
    }

    /// <param name="samples16k">The frame at 16 kHz, for the analysis.</param>
    /// <param name="vadSamples">The frame at <paramref name="vadRate"/>, for the VAD: narrowband audio is scored at
    /// 8 kHz as received (about half the model's compute, <see cref="VadOptions.NarrowbandAt8kHz"/>).</param>
    /// <param name="vadRate">8,000 or 16,000.</param>
    private void Process(ReadOnlySpan<float> samples16k, ReadOnlySpan<float> vadSamples, int vadRate)
    {
        try
        {
            _closed.Clear();
            _detector.Process(vadSamples, vadRate, _closed);
        }
        catch (Exception ex) when (ex is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidOperationException)
        {
            // One failed inference must not end the call; the detector retries the window with the next frame.
            if (_analysisFailures++ % 500 == 0)
            {
                EngineCallLog.AnalysisFailed(_logger, _call.CallId, _analysisFailures, ex);
            }

            return;
        }

        _call.Analysis.OnAudio(samples16k, _detector.InSpeech, _detector.LastVoicedSampleEnd);
        _pauses.OnFrame();
        foreach (var segment in _closed)
        {
            OnSegment(segment, callEnding: false);
        }

        if (_speechAnnounced && !_detector.InSpeech)
        {
            _speechAnnounced = false;
            if (_closed.Count == 0)
            {
                // Speech began but closed too short to be a segment (a breath, a click): no turn will end it.
                _call.Input.Post(new CallerInput(CallerInputKind.SpeechDropped, _call.SinceConfirmed));
            }
        }
    }

    private void OnSpeechStarted(long sample)
    {
        _speechAnnounced = true;
        _pauses.OnSpeechStarted(sample);
        var at = TimeSpan.FromSeconds((double)sample / SampleRate);
        _policy?.OnSpeechStarted(at);
        _call.Analysis.OnSpeechStarted(sample, _call.PromptPlaying);
        _speechStarted();
        _call.Input.Post(new CallerInput(CallerInputKind.SpeechStarted, _call.SinceConfirmed));
    }

    private void OnSegment(SpeechSegment segment, bool callEnding)
    {
        Segments++;
        _policy?.OnSpeechEnded(segment.End);

        // The segment's event first, then its analysis (which an inline runner publishes at once), then the turn.
        var analysis = _call.Analysis;
        _publish(_events.Segment(segment.Start, segment.End, analysis.OpenTurn));
        if (!callEnding)
        {
            // Recognised once, before the analysis (an inline one publishes the turn's emotion at once and needs them).
            _words?.Start(analysis.OpenTurn, _call.CallId, analysis.CopyCallerAudio(segment.StartSample, segment.EndSample));
        }

        var turn = analysis.OnSegment(segment, callEnding ? null : _detector.ScoredSamples); // no turn latency for the call's end
        if (!callEnding)
        {
            _call.Input.Post(new CallerInput(CallerInputKind.SpeechEnded, _call.SinceConfirmed, Duration: segment.Duration, Turn: analysis.Turn(turn)));
        }
    }
}
