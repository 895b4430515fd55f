using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Publishing;

/// <summary>
/// One call's events within a delivery window, in queue order, and how many of them the broker has confirmed.
/// A lane is published strictly in sequence so a consumer never sees a call's events out of order.
/// </summary>
internal sealed class CallLane
{
    private readonly List<ICallEvent> _events = [];

    public IReadOnlyList<ICallEvent> Events => _events;

    /// <summary>Events confirmed so far; a retry resumes from here, never re-sending what was confirmed.</summary>
    public int Confirmed { get; private set; }

    public bool IsComplete => Confirmed == _events.Count;

    public ICallEvent Next => _events[Confirmed];

    public void Add(ICallEvent callEvent) => _events.Add(callEvent);

    public void ConfirmNext() => Confirmed++;
}
