using StepAudio.Telephony.Analytics.Service.Aggregates;

namespace StepAudio.Telephony.Analytics.Service.Live;

/// <summary>Fans the aggregator's changes out to every open event stream.</summary>
internal sealed class LiveUpdateHub
{
    private readonly Lock _gate = new();
    private LiveSubscription[] _subscriptions = [];

    /// <summary>Open streams; tests wait on it before pushing an update the page must receive live.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscriptions).Length;

    public LiveSubscription Subscribe()
    {
        var subscription = new LiveSubscription(Remove);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    public void CallChanged(ActiveCallView activeCall)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            subscription.CallChanged(activeCall);
        }
    }

    public void CallEnded(string callId)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            subscription.CallEnded(callId);
        }
    }

    public void AggregatesChanged()
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            subscription.AggregatesChanged();
        }
    }

    private void Remove(LiveSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => !ReferenceEquals(s, subscription))];
        }
    }
}
