using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>
/// The caller's key presses and turns, in arrival order, for the flow to take one at a time. Written on the media and
/// signalling threads (never blocking); read by the one flow task, which waits for it through the call's
/// <see cref="ICallClock"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue; the name says so to a newcomer.")]
public sealed class CallerInputQueue
{
    // Bounded so a caller leaning on a key while the flow talks cannot grow memory; the oldest presses go first,
    // which is what type-ahead would lose anyway.
    private const int Capacity = 64;

    private readonly Lock _gate = new();
    private readonly Queue<CallerInput> _inputs = new();
    private bool _completed;

    /// <summary>Raised for every input as it is queued (on the posting thread: handlers must be quick).</summary>
    public event Action<CallerInput>? Posted;

    /// <summary>Whether an input is waiting.</summary>
    public bool HasInput
    {
        get
        {
            lock (_gate)
            {
                return _inputs.Count > 0;
            }
        }
    }

    /// <summary>Whether the call ended (nothing more will come).</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <summary>Queues one input; after <see cref="Complete"/> it is dropped.</summary>
    public void Post(CallerInput input)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            if (_inputs.Count == Capacity)
            {
                _inputs.Dequeue();
            }

            _inputs.Enqueue(input);
        }

        Posted?.Invoke(input);
    }

    /// <summary>Takes the oldest input, if any.</summary>
    public bool TryTake(out CallerInput input)
    {
        lock (_gate)
        {
            return _inputs.TryDequeue(out input);
        }
    }

    /// <summary>Looks at the oldest input without taking it.</summary>
    public bool TryPeek(out CallerInput input)
    {
        lock (_gate)
        {
            return _inputs.TryPeek(out input);
        }
    }

    /// <summary>Forgets everything queued.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _inputs.Clear();
        }
    }

    /// <summary>No more input: the call ended.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
        }
    }
}
