using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>Batch peek for the delivery loop's windows (reader side only).</summary>
internal sealed partial class DiskCallEventQueue
{
    private readonly List<OutboxRecordRef> _batchRefs = [];

    public int PeekBatch(List<ICallEvent> window, int max)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (!TryPeek(out var head))
        {
            return 0;
        }

        window.Add(head);
        _batchRefs.Clear();
        lock (_gate)
        {
            var skipHead = true;
            foreach (var record in _records)
            {
                if (skipHead)
                {
                    skipHead = false;
                    continue;
                }

                if (_batchRefs.Count == max - 1)
                {
                    break;
                }

                _batchRefs.Add(record);
            }
        }

        var added = 1;
        foreach (var record in _batchRefs)
        {
            // A damaged record ends the batch; once it is the head, TryPeek logs, counts and skips it.
            if (!TryRead(record, out var callEvent, out _))
            {
                break;
            }

            window.Add(callEvent);
            added++;
        }

        return added;
    }

    public void RemoveHead(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (var i = 0; i < count; i++)
        {
            RemoveHead();
        }
    }
}
