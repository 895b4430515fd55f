using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Publishing;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Policy;
using StepAudio.Telephony.Inference.Resampling;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.SipGateway.Calls.Analysis;
using StepAudio.Telephony.SipGateway.Calls.Flows;
using StepAudio.Telephony.SipGateway.Dtmf;
using StepAudio.Telephony.SipGateway.Media;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Calls;

/// <summary>
/// One answered call's media and analysis: caller RTP → G.711 decode (in <see cref="RtpSession"/>) →
/// 16 kHz → voice activity → speech segments → events. Audio arrives on the RTP receive loop; signalling
/// and the supervisor call in from other threads, so the analysis state is guarded by one lock that is
/// never held across I/O.
/// </summary>
internal sealed partial class CallSession : IRtpAudioSink, IDtmfSink, IDisposable
{
    private readonly object _gate = new();
    private readonly ISpeechDetector _detector;
    private readonly Upsampler8kTo16k _upsampler = new();
    private readonly float[] _samples8k = new float[RtpSession.MaxSamplesPerPacket];
    private readonly float[] _samples16k = new float[2 * RtpSession.MaxSamplesPerPacket];
    private readonly List<SpeechSegment> _closed = [];
    private readonly CallEventFactory _events;
    private readonly ICallEventPublisher _publisher;
    private readonly ListeningPolicy _policy;
    private readonly CallsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _playback = new();
    private RtpSession? _rtp;
    private CallMedia? _media;
    private CallAnalysis? _analysis;
    private long _confirmedAt;
    private int _segments;
    private int _analysisFailures;
    private bool _ended;
    private string? _hangupReason;

    public CallSession(
        CallDescription description,
        ISpeechDetector detector,
        CallEventFactory events,
        ICallEventPublisher publisher,
        ListeningPolicy policy,
        CallsOptions options,
        TimeProvider time,
        ILogger logger)
    {
        Description = description;
        _detector = detector;
        _events = events;
        _publisher = publisher;
        _policy = policy;
        _options = options;
        _time = time;
        _logger = logger;
        _detector.SpeechStarted += (_, e) => _policy.OnSpeechStarted(TimeSpan.FromSeconds((double)e.SpeechStartSample / SpeechSegment.SampleRate));
        // Before the media handler: it stops the prompt, and this one needs to know a prompt was playing.
        _detector.SpeechStarted += (_, e) => _analysis?.OnSpeechStarted(e.SpeechStartSample, _media?.Playout.IsPlaying == true);
        _detector.SpeechStarted += (_, _) => _media?.OnSpeechStarted();
        _detector.SpeechStarted += (_, _) => FlowInput?.Post(new CallerInput(CallerInputKind.SpeechStarted, SinceConfirmed));
    }

    public CallDescription Description { get; }

    public string CallId => _events.CallId;

    public bool IsConfirmed => Volatile.Read(ref _confirmedAt) != 0;

    /// <summary>Time since the caller confirmed the call: the call clock a flow sees.</summary>
    public TimeSpan SinceConfirmed => Volatile.Read(ref _confirmedAt) is var at and not 0 ? _time.GetElapsedTime(at) : TimeSpan.Zero;

    /// <summary>Where key presses and turns go while a flow runs the call; set before <see cref="Confirm"/>.</summary>
    public CallerInputQueue? FlowInput { get; set; }

    /// <summary>Gets the caller's audio while a flow records it (or relays it to a bridged leg).</summary>
    public ICallerAudioTap? CallerAudioTap { get; set; }

    /// <summary>Windows of the caller's audio the VAD gave up because inference fell behind (for <c>CallEnded</c>).</summary>
    public long VadWindowsSkipped => _detector.WindowsSkipped;

    /// <summary>The call's flow, when one runs it: <c>CallEnded</c> waits for its outcome.</summary>
    public CallFlowRun? Flow { get; set; }

    /// <summary>What the call plays to the caller, once media is attached.</summary>
    public Media.Playback.CallPlayout? Playout => _media?.Playout;

    public RtpSession Rtp => _rtp ?? throw new InvalidOperationException("media not attached");

    public void Attach(RtpSession rtp) => _rtp = rtp;

    /// <summary>Playout (barge-in), recording and in-band DTMF; without it prompts play straight to RTP.</summary>
    public void AttachMedia(CallMedia media) => _media = media;

    /// <summary>Emotion, vocal sounds, frustration and turn latency (see <see cref="CallAnalysis"/>).</summary>
    public void AttachAnalysis(SegmentAnalysisQueue? queue, CallAnalysisOptions options, Inference.Frustration.FrustrationOptions frustration) =>
        _analysis = new CallAnalysis(queue, options, frustration, _events, Publish, _gate, _time);

    /// <summary>The call's analysis, once attached.</summary>
    public CallAnalysis? Analysis => _analysis;

    /// <summary>The caller acknowledged our answer: the call is up (RFC 3261 §13.3.1.4).</summary>
    /// <param name="greeting">Renders what the caller hears first, or <see langword="null"/> for silence.</param>
    public void Confirm(Func<CancellationToken, ValueTask<ReadOnlyMemory<short>>>? greeting)
    {
        if (Interlocked.CompareExchange(ref _confirmedAt, _time.GetTimestamp(), 0) != 0)
        {
            return;
        }

        Publish(_events.Started(Description.From, Description.To, Description.Codec, Flow?.Flow.Name, Flow?.Flow.Version));
        if (greeting is not null)
        {
            _ = PlayAsync(greeting);
        }
    }

    /// <inheritdoc />
    public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _media?.OnCallerAudio(pcm, sampleRate, this, static (session, d) => session.OnDtmf(d.Digit, d.Duration, Sip.Dialogs.DtmfSource.InBand));
            CallerAudioTap?.OnCallerAudio(pcm, sampleRate);
            Span<float> wide;
            if (sampleRate == SpeechSegment.SampleRate)
            {
                // Wideband codecs (G.722) already deliver the detector's rate.
                wide = _samples16k.AsSpan(0, pcm.Length);
                PcmConversion.ToFloat(pcm, wide);
            }
            else
            {
                var narrow = _samples8k.AsSpan(0, pcm.Length);
                wide = _samples16k.AsSpan(0, 2 * pcm.Length);
                PcmConversion.ToFloat(pcm, narrow);
                _upsampler.Process(narrow, wide);
            }

            try
            {
                _closed.Clear();
                _detector.Process(wide, _closed);
            }
            catch (Exception ex) when (ex is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidOperationException)
            {
                // One failed inference must not end the call; the detector retries the window with the next frame.
                if (_analysisFailures++ % 500 == 0)
                {
                    LogAnalysisFailed(_logger, CallId, _analysisFailures, ex);
                }

                return;
            }

            _analysis?.OnAudio(wide, _detector.InSpeech, _detector.LastVoicedSampleEnd);
            foreach (var segment in _closed)
            {
                OnSegment(segment);
            }
        }
    }

    /// <summary>Why the gateway should hang up now, or <see langword="null"/>; checked by the supervisor.</summary>
    public string? ReasonToHangUp()
    {
        if (!IsConfirmed)
        {
            return null;
        }

        if (_options.MediaTimeout > TimeSpan.Zero && Rtp.TimeSinceLastPacket >= _options.MediaTimeout)
        {
            return "media-timeout";
        }

        lock (_gate)
        {
            return _policy.Evaluate(_time.GetElapsedTime(_confirmedAt));
        }
    }

    /// <summary>Why the gateway ends the call, once it decided to.</summary>
    public string? HangupReason => Volatile.Read(ref _hangupReason);

    /// <summary>Records why the gateway ends the call; only the first reason counts.</summary>
    public bool TrySetHangupReason(string reason) => Interlocked.CompareExchange(ref _hangupReason, reason, null) is null;

    /// <summary>
    /// Ends the call: stops media (so no audio arrives after this), closes an open speech segment and
    /// publishes <c>CallEnded</c>. Events are only published for calls that were confirmed.
    /// </summary>
    public async Task CompleteAsync(string endedBy, string reason)
    {
        await _playback.CancelAsync();
        if (_media is not null)
        {
            await _media.DisposeAsync();
        }

        if (_rtp is not null)
        {
            await _rtp.DisposeAsync();
        }

        try
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
                    return;
                }

                _closed.Clear();
                _detector.Complete(_closed);
                foreach (var segment in _closed)
                {
                    OnSegment(segment);
                }

                _analysis?.OnAudioEnded();
            }

            // Outside the lock: the analyses still queued publish under it, and all of them must precede CallEnded.
            var summary = _analysis is null ? null : await _analysis.CompleteAsync();
            FlowInput?.Complete();
            // The flow stops within moments of the call's end (its token fires), and its outcome belongs in CallEnded.
            var flow = Flow is { } run ? await run.WaitResultAsync() : null;
            lock (_gate)
            {
                var finalReason = endedBy == "gateway" ? _hangupReason ?? reason : reason;
                Publish(_events.Ended(_time.GetElapsedTime(_confirmedAt), endedBy, finalReason, _segments, summary, flow, _detector.WindowsSkipped));
            }
        }
        finally
        {
            // Also for calls that were never confirmed (CANCEL, no ACK): the playback token is done with either way.
            Dispose();
        }
    }

    public void Dispose()
    {
        _playback.Dispose();
        _detector.Dispose();
        Flow?.Dispose();
    }

    private void OnSegment(SpeechSegment segment)
    {
        _segments++;
        _policy.OnSpeechEnded(segment.End);
        Publish(_events.Segment(segment.Start, segment.End));
        if (!_ended)
        {
            FlowInput?.Post(new CallerInput(CallerInputKind.SpeechEnded, SinceConfirmed, Duration: segment.Duration));
        }

        _analysis?.OnSegment(segment, _ended ? null : _detector.ScoredSamples); // no turn latency for the call's end
    }

    private async Task PlayAsync(Func<CancellationToken, ValueTask<ReadOnlyMemory<short>>> render)
    {
        try
        {
            var prompt = await render(_playback.Token);
            OnPrompt(started: true, "greeting");
            var media = _media ?? throw new InvalidOperationException("media not attached");
            await media.Playout.PlayAsync(prompt, cancellationToken: _playback.Token);

            OnPrompt(started: false, "greeting");
        }
        catch (OperationCanceledException)
        {
            // The call ended while we spoke.
        }
        catch (ObjectDisposedException)
        {
            // Media was torn down between two frames.
        }
        catch (CallFlow.Speech.SpeechSynthesisException ex)
        {
            LogPromptFailed(_logger, CallId, ex);
        }
    }

    /// <summary>Publishes <c>CallTransferred</c> in the call's event sequence.</summary>
    public void PublishTransferred(string target, string mode, string step, string flow)
    {
        lock (_gate)
        {
            if (!_ended)
            {
                Publish(_events.Transferred(target, mode, step, flow, _analysis?.Frustration.Current ?? 0));
            }
        }
    }

    /// <summary>Tells the analysis a prompt started or finished, so a repeated prompt feeds frustration.</summary>
    public void OnPrompt(bool started, string promptId)
    {
        lock (_gate)
        {
            if (started)
            {
                _analysis?.OnPromptStarted(promptId);
            }
            else
            {
                _analysis?.OnPromptFinished();
            }
        }
    }

    private void Publish(Analytics.Contracts.ICallEvent callEvent)
    {
        if (!_publisher.TryPublish(callEvent))
        {
            LogEventRejected(_logger, callEvent.GetType().Name, CallId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Speech analysis failed for call {CallId} ({Failures} failures so far)")]
    private static partial void LogAnalysisFailed(ILogger logger, string callId, int failures, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Greeting for call {CallId} could not be rendered; the caller hears silence")]
    private static partial void LogPromptFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event queue full: {EventType} for call {CallId} was not accepted")]
    private static partial void LogEventRejected(ILogger logger, string eventType, string callId);
}
