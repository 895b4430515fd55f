namespace StepAudio.Telephony.Analytics.Service.Aggregates;

/// <summary>
/// Told about every change the aggregator applies, in order, while it holds its lock: implementations must only
/// record the change (no I/O, no blocking).
/// </summary>
public interface ICallAggregateObserver
{
    void CallChanged(ActiveCallView activeCall);

    void CallEnded(string callId);

    void AggregatesChanged();
}
