using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.Analytics.Tests.Infrastructure;

/// <summary>The events of one short call, as the gateway would raise them.</summary>
internal static class CallEvents
{
    public static IReadOnlyList<ICallEvent> OneCall(string callId, int speechSegments = 2)
    {
        var t0 = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        var events = new List<ICallEvent>
        {
            new CallStarted(Guid.NewGuid(), callId, 1, t0, "sip:+4930123@trunk.example", "sip:bot@gw.example", "PCMU/8000"),
        };
        for (var i = 0; i < speechSegments; i++)
        {
            var start = 1.25 + (3 * i);
            events.Add(new SpeechSegmentDetected(
                Guid.NewGuid(), callId, 2 + i, t0.AddSeconds(start + 1.5), start, start + 1.5, 1.5));
        }

        events.Add(new CallEnded(
            Guid.NewGuid(), callId, 2 + speechSegments, t0.AddSeconds(10.5), 10.5, "caller", "bye", speechSegments));
        return events;
    }
}
