using System.Threading.Channels;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// The caller's key presses and turns, in arrival order, for the flow to take one at a time. Written under the call's
/// lock on the media and signalling threads, so <see cref="Post"/> never blocks; read by the one flow task.
/// </summary>
internal sealed class CallerInputQueue
{
    // Bounded so a caller leaning on a key while the flow talks cannot grow memory; the oldest presses go first,
    // which is what type-ahead would lose anyway.
    private const int Capacity = 64;

    private readonly Channel<CallerInput> _inputs = Channel.CreateBounded<CallerInput>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly TimeProvider _time;

    public CallerInputQueue(TimeProvider time) => _time = time;

    /// <summary>Raised for every input as it is queued (under the call's lock: handlers must be quick).</summary>
    public event Action<CallerInput>? Posted;

    /// <summary>Queues one input; after <see cref="Complete"/> it is dropped.</summary>
    public void Post(CallerInput input)
    {
        if (_inputs.Writer.TryWrite(input))
        {
            Posted?.Invoke(input);
        }
    }

    /// <summary>The oldest queued input, waiting up to <paramref name="timeout"/>; null when none came.</summary>
    public async ValueTask<CallerInput?> NextAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_inputs.Reader.TryRead(out var queued))
        {
            return queued;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return null;
        }

        using var timer = new CancellationTokenSource(timeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            while (await _inputs.Reader.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
            {
                if (_inputs.Reader.TryRead(out var input))
                {
                    return input;
                }
            }

            return null; // completed: the call ended
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Forgets everything queued.</summary>
    public void Clear()
    {
        while (_inputs.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>No more input: the call ended.</summary>
    public void Complete() => _inputs.Writer.TryComplete();
}
