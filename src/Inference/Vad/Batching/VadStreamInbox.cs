namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// The streams handed to one <see cref="VadBatchWorker"/> (new calls, and streams a peer shares) that its thread has
/// not taken yet. Any thread may add; only the worker's thread takes, between runs, so that a stream joins while none
/// of its windows is in flight. Once closed (the thread has exited) nothing more is accepted, and whatever was waiting
/// is released, so that nobody waits forever on a thread that is gone.
/// </summary>
internal sealed class VadStreamInbox
{
    private readonly Lock _gate = new();
    private readonly List<ScheduledVadStream> _waiting = [];
    private readonly List<ScheduledVadStream> _taking = [];
    private bool _closed;

    /// <summary>Whether the worker's thread has exited.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>Adds a stream; false when the inbox is closed.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="newOwner">Made the stream's owner under the same lock (a hand-over), or null for a new stream.</param>
    public bool TryAdd(ScheduledVadStream stream, VadBatchWorker? newOwner = null)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _waiting.Add(stream);
            if (newOwner is not null)
            {
                stream.Owner = newOwner;
            }

            return true;
        }
    }

    /// <summary>Moves the waiting streams to <paramref name="streams"/> (the worker's thread only).</summary>
    public void TakeInto(List<ScheduledVadStream> streams)
    {
        lock (_gate)
        {
            _taking.AddRange(_waiting);
            _waiting.Clear();
        }

        streams.AddRange(_taking);
        _taking.Clear();
    }

    /// <summary>Accepts nothing more and releases every stream still waiting (the worker's thread, as it exits).</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _taking.AddRange(_waiting);
            _waiting.Clear();
        }

        foreach (var stream in _taking)
        {
            stream.Removed.Set();
        }

        _taking.Clear();
    }
}
