using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.Benchmarks.EventLoad;

/// <summary>
/// The events of simulated calls, interleaved across calls as a busy gateway raises them: each call opens with
/// CallStarted, then speech segments, and closes with CallEnded; sequences start at 1 with no gaps.
/// </summary>
internal static class LoadEvents
{
    /// <summary>
    /// Builds <paramref name="total"/> events over <paramref name="calls"/> calls in round-robin order.
    /// <paramref name="stamp"/> is called when an event is taken, so its Timestamp is the moment of "detection".
    /// </summary>
    public static IEnumerable<ICallEvent> RoundRobin(string runId, int total, int calls, Func<DateTimeOffset> stamp)
    {
        var perCall = new int[calls];
        for (var i = 0; i < total; i++)
        {
            perCall[i % calls]++;
        }

        var next = new int[calls];
        for (var round = 0; round < perCall[0]; round++)
        {
            for (var call = 0; call < calls && round < perCall[call]; call++)
            {
                var sequence = ++next[call];
                yield return Make($"{runId}-{call}", sequence, perCall[call], stamp());
            }
        }
    }

    private static ICallEvent Make(string callId, int sequence, int last, DateTimeOffset at)
    {
        if (sequence == 1)
        {
            return new CallStarted(Guid.NewGuid(), callId, sequence, at, "sip:load@127.0.0.1", "sip:gateway@127.0.0.1", "PCMU/8000");
        }

        if (sequence == last)
        {
            return new CallEnded(Guid.NewGuid(), callId, sequence, at, sequence * 2.0, "caller", "bye", sequence - 2);
        }

        var start = sequence * 2.0;
        return new SpeechSegmentDetected(Guid.NewGuid(), callId, sequence, at, start, start + 1.5, 1.5);
    }
}
