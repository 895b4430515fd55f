namespace StepAudio.Telephony.Analytics.Consumer.Printing;

/// <summary>
/// The event IDs printed most recently. Delivery is at least once: a publish whose confirm timed out is sent again,
/// and a message whose ack was lost is redelivered, so the same event can arrive twice. A copy arrives soon after the
/// original, so remembering a bounded window of IDs removes duplicates without growing for the life of the printer.
/// </summary>
internal sealed class RecentEventIds
{
    private readonly int _capacity;
    private readonly HashSet<Guid> _ids;
    private readonly Queue<Guid> _order;
    private readonly Lock _gate = new();

    public RecentEventIds(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _ids = new HashSet<Guid>(capacity);
        _order = new Queue<Guid>(capacity);
    }

    /// <summary>Records <paramref name="eventId"/>; false when it is already among the last <c>capacity</c> IDs.</summary>
    public bool TryAdd(Guid eventId)
    {
        lock (_gate)
        {
            if (!_ids.Add(eventId))
            {
                return false;
            }

            _order.Enqueue(eventId);
            if (_order.Count > _capacity)
            {
                _ids.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
