using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Dtmf;
using StepAudio.Telephony.SipGateway.Media.Playback;
using StepAudio.Telephony.SipGateway.Media.Recording;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Media;

/// <summary>Builds each call's <see cref="CallMedia"/> from the configured options.</summary>
internal sealed partial class CallMediaFactory
{
    private readonly RecordingOptions _recording;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    public CallMediaFactory(IOptions<RecordingOptions> recording, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _recording = recording.Value;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<CallMediaFactory>();
    }

    /// <param name="rtp">The call's RTP sender.</param>
    /// <param name="callId">The gateway's call id (a GUID in hex): the recording's file name.</param>
    /// <param name="bargeInByDefault">Whether prompts stop when the caller speaks unless a request says otherwise.</param>
    /// <param name="inbandDtmf">
    /// Listen for DTMF tones in the audio: only when no RFC 4733 telephone-event was negotiated, since a peer that
    /// sends events usually removes the tones from the audio (RFC 4733 §2.6) and would otherwise be heard twice.
    /// </param>
    public CallMedia Create(IRtpAudioSender rtp, string callId, bool bargeInByDefault, bool inbandDtmf)
    {
        var recorder = _recording.Enabled ? TryStartRecording(callId) : null;
        IRtpAudioSender sender = recorder is null ? rtp : new RecordingAudioSender(rtp, recorder);
        return new CallMedia(
            new CallPlayout(sender, _time, bargeInByDefault),
            recorder,
            inbandDtmf ? new GoertzelDtmfDetector() : null);
    }

    private CallRecorder? TryStartRecording(string callId)
    {
        if (Path.GetFileName(callId) != callId || callId.Length == 0)
        {
            throw new ArgumentException($"'{callId}' is not usable as a file name.", nameof(callId));
        }

        var path = Path.Combine(_recording.Directory, callId + ".wav");
        try
        {
            Directory.CreateDirectory(_recording.Directory);
            return new CallRecorder(path, _time, _loggerFactory.CreateLogger<CallRecorder>());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full or read-only disk must not cost the call; it goes on unrecorded.
            LogRecordingUnavailable(_logger, callId, path, ex);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId} cannot be recorded to {Path}; it goes on unrecorded")]
    private static partial void LogRecordingUnavailable(ILogger logger, string callId, string path, Exception exception);
}
