using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.SipGateway.Calls;

/// <summary>
/// Stamps one call's events with its id, a gap-free sequence number and a time, so consumers can order
/// and de-duplicate them. Thread-safe: media and signalling threads both create events for a call.
/// </summary>
internal sealed class CallEventFactory(string callId, TimeProvider time)
{
    private long _sequence;

    public string CallId { get; } = callId;

    public CallStarted Started(string from, string to, string codec) =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), from, to, codec);

    public SpeechSegmentDetected Segment(TimeSpan start, TimeSpan end) =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), start.TotalSeconds, end.TotalSeconds, (end - start).TotalSeconds);

    public DtmfReceived Dtmf(char digit, TimeSpan duration, string source) =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), digit.ToString(), duration.TotalSeconds, source);

    public CallEnded Ended(TimeSpan duration, string hungUpBy, string reason, int speechSegments) =>
        new(Guid.CreateVersion7(), CallId, Next(), time.GetUtcNow(), duration.TotalSeconds, hungUpBy, reason, speechSegments);

    private long Next() => Interlocked.Increment(ref _sequence);
}
