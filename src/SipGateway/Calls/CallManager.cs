using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Publishing;
using StepAudio.Telephony.CallFlow.Policy;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Recognition;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;
using StepAudio.Telephony.CallEngine;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.SipGateway.Calls.Flows;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Media;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Calls;

/// <summary>
/// Where signalling meets media and analysis: gives each accepted INVITE its RTP port and analysis
/// pipeline, starts the call on ACK, and finishes it (events included) when the dialog ends.
/// </summary>
internal sealed partial class CallManager : ICallHandler
{
    // How long the target of a REFER we carry out may ring: a transfer step's default timeout.
    private static readonly TimeSpan ReferRingTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, CallSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _completing = new();
    private readonly RtpPortAllocator _ports;
    private readonly SileroVadModel _vad;
    private readonly VadOptions _vadOptions;
    private readonly CallsOptions _options;
    private readonly ListeningPolicyOptions _policyOptions;
    private readonly ICallEventPublisher _publisher;
    private readonly ISpeechSynthesizer _speech;
    private readonly CallMediaFactory _media;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<CallManager> _logger;
    private readonly RtpOptions? _rtpOptions;
    private readonly SegmentAnalysisQueue? _analysis;
    private readonly FrustrationOptions _frustration;
    private readonly VadBatchScheduler? _vadScheduler;
    private readonly CallFlowCoordinator? _flows;
    private readonly ISpeechRecognizer? _recognizer;

    public CallManager(
        RtpPortAllocator ports,
        SileroVadModel vad,
        IOptions<VadOptions> vadOptions,
        IOptions<CallsOptions> options,
        IOptions<ListeningPolicyOptions> policyOptions,
        ICallEventPublisher publisher,
        ISpeechSynthesizer speech,
        CallMediaFactory media,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        IOptions<RtpOptions>? rtpOptions = null,
        SegmentAnalysisQueue? analysis = null,
        IOptions<FrustrationOptions>? frustration = null,
        VadBatchScheduler? vadScheduler = null,
        CallFlowCoordinator? flows = null,
        ISpeechRecognizer? recognizer = null)
    {
        _flows = flows;
        _recognizer = recognizer;
        _analysis = analysis;
        _frustration = frustration?.Value ?? new FrustrationOptions();
        _rtpOptions = rtpOptions?.Value;
        _vadScheduler = vadScheduler;
        _ports = ports;
        _vad = vad;
        _vadOptions = vadOptions.Value;
        _options = options.Value;
        _policyOptions = policyOptions.Value;
        _publisher = publisher;
        _speech = speech;
        _media = media;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<CallManager>();
    }

    public int ActiveCalls => _sessions.Count;

    public IEnumerable<CallSession> Sessions => _sessions.Values;

    /// <summary>Call flows, when configured (<c>CallFlow:Enabled</c> and a flow directory); otherwise calls hear the greeting.</summary>
    public CallFlowCoordinator? Flows => _flows;

    /// <inheritdoc />
    public async ValueTask<MediaAcceptance> OnIncomingCallAsync(IncomingCall incomingCall, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incomingCall);
        if (!AudioCodecRegistry.TryGetByEncodingName(incomingCall.Codec.EncodingName, out var codec, incomingCall.Codec.ClockRate))
        {
            return MediaAcceptance.Reject(488, "No supported codec");
        }

        if (_options.AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(_options.AnswerDelay, _time, cancellationToken);
        }

        if (!_ports.TryAllocate(out var lease))
        {
            LogNoPorts(_logger, LogText.Safe(incomingCall.CallId));
            return MediaAcceptance.Reject(503, "No media port available");
        }

        var description = new CallDescription(
            incomingCall.DialogId,
            incomingCall.FromUri,
            incomingCall.ToUri,
            $"{codec.EncodingName}/{codec.ClockRate}");
        var callId = Guid.CreateVersion7().ToString("N");
        var engine = new EngineCall(new EngineCallSetup(callId, _vadScheduler?.CreateDetector() ?? new SpeechDetector(_vad, _vadOptions), e => Publish(e, callId), _time)
        {
            Analysis = _analysis,
            AnalysisOptions = _analysis?.Options,
            Frustration = _frustration,
            Policy = new ListeningPolicy(_policyOptions),
            Recognizer = _recognizer,
            Logger = _loggerFactory.CreateLogger<EngineCall>(),
        });
        var session = new CallSession(description, engine, _options, _loggerFactory.CreateLogger<CallSession>());
        var rtp = new RtpSession(
            lease,
            codec,
            incomingCall.RemoteRtp,
            session,
            _loggerFactory.CreateLogger<RtpSession>(),
            incomingCall.TelephoneEventPayloadType,
            _time,
            _rtpOptions?.JitterBuffer,
            srtp: incomingCall.Srtp,
            srtpOffered: incomingCall.OfferedSrtpKey);
        session.Attach(rtp);
        rtp.ReceiveTelephoneEvents(session);
        session.AttachMedia(_media.Create(rtp, session.CallId, _options.BargeIn, inbandDtmf: incomingCall.TelephoneEventPayloadType is null));
        _flows?.Prepare(session, incomingCall);
        _sessions[incomingCall.DialogId] = session;
        rtp.Start();
        rtp.StartRtcp(_loggerFactory.CreateLogger<Rtcp.RtcpSession>());
        if (_logger.IsEnabled(LogLevel.Information))
        {
            // Call-ID, From and To are the caller's bytes: escaped so they cannot forge log lines.
            var (sipCallId, from, to) = (LogText.Safe(incomingCall.CallId), LogText.Safe(description.From), LogText.Safe(description.To));
            LogAccepted(_logger, session.CallId, sipCallId, from, to, description.Codec, lease!.Port);
        }

        var localRtp = new IPEndPoint(lease.LocalEndPoint.Address, lease.Port);
        if (_flows is not null)
        {
            try
            {
                // The flow's announcement before the answer (183 with SDP); the 200 follows it, so billing starts after.
                await _flows.PlayEarlyMediaAsync(session, incomingCall, localRtp, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // CANCEL (or a 183 never PRACKed) ended the INVITE; accepting lets the user agent release this call's
                // media through OnCallTerminated, as ICallHandler promises for acceptances that lose to CANCEL.
            }
        }

        return MediaAcceptance.Accept(localRtp);
    }

    /// <inheritdoc />
    public void OnCallConfirmed(string dialogId)
    {
        if (_sessions.TryGetValue(dialogId, out var session))
        {
            if (session.Flow is { } flow)
            {
                // The flow says what the caller hears first; it runs on the thread pool, off the signalling path.
                session.Confirm(null);
                flow.Start();
                return;
            }

            session.Confirm(string.IsNullOrWhiteSpace(_options.Greeting) ? null : ct => _speech.SynthesizeAsync(_options.Greeting, null, ct));
        }
    }

    /// <inheritdoc />
    public void OnCallTerminated(string dialogId, string endedBy, string reason)
    {
        if (!_sessions.TryRemove(dialogId, out var session))
        {
            _flows?.OnOtherDialogEnded(dialogId); // a bridge's agent leg
            return;
        }

        _flows?.OnCallEnded(session, endedBy, session.HangupReason ?? reason);
        var completion = CompleteAsync(session, endedBy, reason);
        _completing.TryAdd(completion, 0);
        _ = completion.ContinueWith(t => _completing.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <inheritdoc />
    public void OnMediaUpdated(string dialogId, MediaUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (_sessions.TryGetValue(dialogId, out var session)
            && AudioCodecRegistry.TryGetByEncodingName(update.Codec.EncodingName, out var codec, update.Codec.ClockRate))
        {
            if (update.Srtp is { } keys && !session.Rtp.CompleteSrtp(keys))
            {
                // The negotiation already holds the answer to our key; a mismatch here would be a bug, and sending
                // with keys the peer does not expect is worse than silence.
                LogSrtpMismatch(_logger, session.CallId);
                return;
            }

            session.Rtp.UpdateRemote(update.RemoteRtp, codec, update.SendsAudio);
            LogMediaUpdated(_logger, session.CallId, update.RemoteRtp, codec.EncodingName, update.Direction);
        }
    }

    /// <inheritdoc />
    public void OnDtmf(string dialogId, char digit, TimeSpan duration, string source)
    {
        if (_sessions.TryGetValue(dialogId, out var session))
        {
            session.OnDtmf(digit, duration, source);
        }
    }

    /// <inheritdoc />
    public bool AcceptsRefer(string dialogId) =>
        _sessions.TryGetValue(dialogId, out var session) && session.Flow is { Flow.AcceptRefer: true };

    /// <inheritdoc />
    public async Task<TransferResult> OnReferAsync(string dialogId, string targetUri, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(dialogId, out var session) || session.Flow is not { } flow)
        {
            return new TransferResult(false, 481, "Call/Transaction Does Not Exist");
        }

        // The subscription's own limit (SipOptions.TransferTimeout) also cancels the token.
        var outcome = await flow.TransferRequestedAsync(targetUri, ReferRingTimeout, cancellationToken).ConfigureAwait(false);
        return new TransferResult(outcome.Succeeded, outcome.StatusCode, outcome.Reason);
    }

    // Under the call's lock, in sequence order: the publisher's queue never blocks, it refuses when full.
    private void Publish(Analytics.Contracts.ICallEvent callEvent, string callId)
    {
        if (!_publisher.TryPublish(callEvent))
        {
            LogEventRejected(_logger, callEvent.GetType().Name, callId);
        }
    }

    /// <summary>Waits for calls that are ending to publish their last events.</summary>
    public Task DrainAsync() => Task.WhenAll(_completing.Keys);

    private async Task CompleteAsync(CallSession session, string endedBy, string reason)
    {
        try
        {
            await session.CompleteAsync(endedBy, reason);
            var stats = session.Rtp.GetStatistics();
            var (analysesQueued, analysesSkipped, analysesUnfinished) = session.Engine.Analysis.AnalysisCounts;
            LogEnded(_logger, session.CallId, endedBy, reason, stats.PacketsReceived, stats.PacketsLost, stats.PacketsDuplicated, stats.PacketsSent, session.VadWindowsSkipped,
                analysesQueued, analysesSkipped, analysesUnfinished);
        }
        catch (Exception ex)
        {
            LogCompleteFailed(_logger, session.CallId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} answered (SIP Call-ID {SipCallId}) from {From} to {To}, {Codec}, RTP port {Port}")]
    private static partial void LogAccepted(ILogger logger, string callId, string sipCallId, string from, string to, string codec, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} ended by {EndedBy} ({Reason}); RTP in {PacketsIn}, lost {Lost}, duplicated {Duplicated}, out {PacketsOut}; VAD windows skipped {VadWindowsSkipped}; analyses queued {AnalysesQueued}, skipped {AnalysesSkipped}, unfinished {AnalysesUnfinished}")]
    private static partial void LogEnded(ILogger logger, string callId, string endedBy, string reason, long packetsIn, long lost, long duplicated, long packetsOut, long vadWindowsSkipped,
        int analysesQueued, int analysesSkipped, int analysesUnfinished);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} media renegotiated: RTP to {Remote}, {Codec}, {Direction}")]
    private static partial void LogMediaUpdated(ILogger logger, string callId, IPEndPoint remote, string codec, Sdp.SdpDirection direction);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId}: the SRTP keys of the answer do not match the media session's; media left unchanged")]
    private static partial void LogSrtpMismatch(ILogger logger, string callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No RTP port free for SIP Call-ID {SipCallId}; answering 503")]
    private static partial void LogNoPorts(ILogger logger, string sipCallId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event queue full: {EventType} for call {CallId} was not accepted")]
    private static partial void LogEventRejected(ILogger logger, string eventType, string callId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Finishing call {CallId} failed")]
    private static partial void LogCompleteFailed(ILogger logger, string callId, Exception exception);
}
