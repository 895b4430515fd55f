namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>
/// One call's analyses that have left for a worker (or for the recogniser) and not come back, with the call's counts of
/// what was handed over, refused and never finished. <see cref="Drained"/> completes when the call has ended and the
/// last one is back, which is what the call's end waits for. Not thread-safe: used under the call's lock.
/// </summary>
internal sealed class AnalysesInFlight
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending;

    /// <summary>No audio follows: nothing new is handed over.</summary>
    public bool Ending { get; private set; }

    /// <summary>The call's end stopped waiting: late results are dropped, because nothing may follow <c>CallEnded</c>.</summary>
    public bool Closed { get; private set; }

    public int Queued { get; private set; }

    public int Skipped { get; private set; }

    public int UnfinishedAtClose { get; private set; }

    public Task Drained => _drained.Task;

    /// <summary>Counted before the hand-over: an inline runner reports its result before the hand-over returns.</summary>
    public void Leaving() => _pending++;

    /// <summary>The analysis queue took the job.</summary>
    public void Accepted() => Queued++;

    /// <summary>The analysis queue was full: the span is not analysed.</summary>
    public void Refused()
    {
        _pending--;
        Skipped++;
    }

    /// <summary>A result (or the recogniser's words) came back.</summary>
    public void Returned()
    {
        if (--_pending == 0 && Ending)
        {
            _drained.TrySetResult();
        }
    }

    public void End()
    {
        Ending = true;
        if (_pending == 0)
        {
            _drained.TrySetResult();
        }
    }

    public void Close()
    {
        Closed = true;
        UnfinishedAtClose = _pending;
    }
}
