using System.Threading.Channels;
using StepAudio.Telephony.Analytics.Service.Aggregates;

namespace StepAudio.Telephony.Analytics.Service.Live;

/// <summary>
/// The changes one browser has not been sent yet, coalesced: only the latest state of each call is kept, so a slow
/// browser costs memory bounded by the number of active calls, never by the event rate.
/// </summary>
internal sealed class LiveSubscription : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ActiveCallView> _changed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Action<LiveSubscription> _onDispose;
    private bool _aggregatesChanged;

    public LiveSubscription(Action<LiveSubscription> onDispose) => _onDispose = onDispose;

    public void CallChanged(ActiveCallView call)
    {
        lock (_gate)
        {
            _ended.Remove(call.CallId);
            _changed[call.CallId] = call;
        }

        _wakeUp.Writer.TryWrite(true);
    }

    public void CallEnded(string callId)
    {
        lock (_gate)
        {
            _changed.Remove(callId);
            _ended.Add(callId);
        }

        _wakeUp.Writer.TryWrite(true);
    }

    public void AggregatesChanged()
    {
        lock (_gate)
        {
            _aggregatesChanged = true;
        }

        _wakeUp.Writer.TryWrite(true);
    }

    /// <summary>Waits until something changed; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _wakeUp.Reader.ReadAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Takes everything pending and starts collecting afresh.</summary>
    public LivePending Take()
    {
        lock (_gate)
        {
            var pending = new LivePending([.. _changed.Values], [.. _ended], _aggregatesChanged);
            _changed.Clear();
            _ended.Clear();
            _aggregatesChanged = false;
            return pending;
        }
    }

    public void Dispose() => _onDispose(this);
}
