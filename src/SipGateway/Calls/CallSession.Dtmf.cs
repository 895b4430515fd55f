using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Calls;

/// <content>Key presses from every source (RFC 4733, SIP INFO, in-band tones) meet here and become events.</content>
internal sealed partial class CallSession
{
    private string? _dtmfSource;
    private long _dtmfIgnored;

    /// <summary>Key presses dropped because they came from a second source (see <see cref="OnDtmf"/>).</summary>
    public long DtmfFromOtherSources => Interlocked.Read(ref _dtmfIgnored);

    /// <summary>
    /// Publishes one <c>DtmfReceived</c> per key press. Equipment often sends a press both as RFC 4733 events and as
    /// SIP INFO (or the tones stay in the audio), and nothing ties the copies together, so the call trusts the first
    /// source it hears from and ignores the others for the rest of the call.
    /// </summary>
    public void OnDtmf(char digit, TimeSpan duration, string source)
    {
        lock (_gate)
        {
            if (_ended || !IsConfirmed)
            {
                return;
            }

            _dtmfSource ??= source;
            if (!string.Equals(_dtmfSource, source, StringComparison.Ordinal))
            {
                _dtmfIgnored++;
                LogDtmfOtherSource(_logger, CallId, digit, source, _dtmfSource);
                return;
            }

            LogDtmf(_logger, CallId, digit, (int)duration.TotalMilliseconds, source);
            Publish(_events.Dtmf(digit, duration, source));
            _analysis?.OnDtmf(digit);
            FlowInput?.Post(new CallFlow.Flows.Runtime.CallerInput(CallFlow.Flows.Runtime.CallerInputKind.Digit, SinceConfirmed, digit));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} DTMF {Digit} ({DurationMs} ms) via {Source}")]
    private static partial void LogDtmf(ILogger logger, string callId, char digit, int durationMs, string source);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} DTMF {Digit} via {Source} ignored: the call's digits come via {Trusted}")]
    private static partial void LogDtmfOtherSource(ILogger logger, string callId, char digit, string source, string trusted);
}
