using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallEngine;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.SipGateway.Calls.Flows;
using StepAudio.Telephony.SipGateway.Dtmf;
using StepAudio.Telephony.SipGateway.Media;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Calls;

/// <summary>
/// One answered call's transport around its <see cref="EngineCall"/>: caller RTP (decoded in <see cref="RtpSession"/>)
/// and in-band tones go into the engine, prompts go out through the call's playout, and the call's end stops media
/// before the engine publishes <c>CallEnded</c>. Everything between audio in and events out is the engine's.
/// </summary>
internal sealed partial class CallSession : IRtpAudioSink, IDtmfSink, IDisposable
{
    private readonly CallsOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _playback = new();
    private readonly CallerAudioTimeline _timeline = new();
    private RtpSession? _rtp;
    private CallMedia? _media;
    private ICallerAudioTap? _tap;
    private string? _hangupReason;

    public CallSession(CallDescription description, EngineCall engine, CallsOptions options, ILogger logger)
    {
        Description = description;
        Engine = engine;
        _options = options;
        _logger = logger;

        // The engine decided about barge-in already; a greeting (played outside any flow) stops here.
        engine.SpeechStarted += () => _media?.OnSpeechStarted();
    }

    public CallDescription Description { get; }

    /// <summary>The call's engine: VAD, turns, analysis, events and the flow's input.</summary>
    public EngineCall Engine { get; }

    public string CallId => Engine.CallId;

    public bool IsConfirmed => Engine.IsConfirmed;

    /// <summary>Time since the caller confirmed the call: the call clock a flow sees.</summary>
    public TimeSpan SinceConfirmed => Engine.SinceConfirmed;

    /// <summary>Gets the caller's audio while a flow records it (or relays it to a bridged leg).</summary>
    public ICallerAudioTap? CallerAudioTap
    {
        get => Volatile.Read(ref _tap);
        set => Volatile.Write(ref _tap, value);
    }

    /// <summary>Windows of the caller's audio the VAD gave up because inference fell behind (for <c>CallEnded</c>).</summary>
    public long VadWindowsSkipped => Engine.VadWindowsSkipped;

    /// <summary>The call's flow, when one runs it: <c>CallEnded</c> waits for its outcome.</summary>
    public CallFlowRun? Flow { get; set; }

    /// <summary>What the call plays to the caller, once media is attached.</summary>
    public Media.Playback.CallPlayout? Playout => _media?.Playout;

    public RtpSession Rtp => _rtp ?? throw new InvalidOperationException("media not attached");

    /// <summary>Key presses dropped because they came from a second source.</summary>
    public long DtmfFromOtherSources => Engine.DtmfFromOtherSources;

    public void Attach(RtpSession rtp) => _rtp = rtp;

    /// <summary>Playout (barge-in), recording and in-band DTMF; without it prompts play straight to RTP.</summary>
    public void AttachMedia(CallMedia media) => _media = media;

    /// <summary>The caller acknowledged our answer: the call is up (RFC 3261 §13.3.1.4).</summary>
    /// <param name="greeting">Renders what the caller hears first, or <see langword="null"/> for silence.</param>
    public void Confirm(Func<CancellationToken, ValueTask<ReadOnlyMemory<short>>>? greeting)
    {
        if (Engine.IsConfirmed)
        {
            return;
        }

        Engine.Confirm(Description.From, Description.To, Description.Codec, Flow?.Flow.Name, Flow?.Flow.Version);
        if (greeting is not null)
        {
            _ = PlayGreetingAsync(greeting);
        }
    }

    /// <inheritdoc />
    /// <remarks>On the receive loop, one frame at a time.</remarks>
    public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime)
    {
        _media?.OnCallerAudio(pcm, sampleRate, this, static (session, d) => session.OnDtmf(d.Digit, d.Duration, Sip.Dialogs.DtmfSource.InBand));
        CallerAudioTap?.OnCallerAudio(pcm, sampleRate);
        var silence = _timeline.Place(rtpTimestamp, pcm.Length, sampleRate);
        if (silence < 0)
        {
            return;
        }

        if (silence > 0)
        {
            Engine.OnAudio(new short[silence], sampleRate);
        }

        Engine.OnAudio(pcm, sampleRate);
    }

    /// <inheritdoc />
    public void OnDtmf(char digit, TimeSpan duration, string source) => Engine.OnDtmf(digit, duration, source);

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

        return Engine.ReasonToHangUp();
    }

    /// <summary>Why the gateway ends the call, once it decided to.</summary>
    public string? HangupReason => Volatile.Read(ref _hangupReason);

    /// <summary>Records why the gateway ends the call; only the first reason counts.</summary>
    public bool TrySetHangupReason(string reason) => Interlocked.CompareExchange(ref _hangupReason, reason, null) is null;

    /// <summary>
    /// Ends the call: stops media (so no audio arrives after this), then lets the engine close an open speech segment,
    /// wait for its analyses and the flow's outcome, and publish <c>CallEnded</c>.
    /// </summary>
    public async Task CompleteAsync(string endedBy, string reason)
    {
        try
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

            // The flow stops within moments of the call's end (its token fires), and its outcome belongs in CallEnded.
            var flow = Flow;
            await Engine.CompleteAsync(
                endedBy,
                endedBy == "gateway" ? HangupReason ?? reason : reason,
                flow is null ? null : flow.WaitResultAsync);
        }
        finally
        {
            // Also for calls that were never confirmed (CANCEL, no ACK).
            Dispose();
        }
    }

    public void Dispose()
    {
        _playback.Dispose();
        Engine.Dispose();
        Flow?.Dispose();
    }

    private async Task PlayGreetingAsync(Func<CancellationToken, ValueTask<ReadOnlyMemory<short>>> render)
    {
        try
        {
            var prompt = await render(_playback.Token);
            var media = _media ?? throw new InvalidOperationException("media not attached");
            Engine.OnPromptStarted("greeting");
            try
            {
                await media.Playout.PlayAsync(prompt, cancellationToken: _playback.Token);
            }
            finally
            {
                Engine.OnPromptFinished();
            }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Greeting for call {CallId} could not be rendered; the caller hears silence")]
    private static partial void LogPromptFailed(ILogger logger, string callId, Exception exception);
}
