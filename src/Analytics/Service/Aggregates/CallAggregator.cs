using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.Analytics.Service.Deduplication;
using StepAudio.Telephony.Analytics.Service.Hosting;

namespace StepAudio.Telephony.Analytics.Service.Aggregates;

/// <summary>
/// The live view: applies call events once each to the list of calls in progress and tells the observers (the live
/// page's streams) what changed, including when the stored aggregates did. The numbers themselves come from the
/// store (Queries/StoreQueries), which survives restarts; this list is rebuilt from the events that arrive. One lock
/// guards everything: events arrive at call-event rates, far below where a lock would matter.
/// </summary>
public sealed class CallAggregator
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly AnalyticsOptions _options;
    private readonly TimeProvider _time;
    private readonly ICallAggregateObserver? _observer;
    private readonly RecentKeys<Guid, bool> _messageIds;
    private readonly RecentKeys<(string CallId, long Sequence), bool> _sequences;
    private readonly RecentKeys<string, bool> _endedCalls;
    private readonly Dictionary<string, ActiveCall> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);
    private DateTimeOffset _nextPrune;
    private long _duplicates;

    public CallAggregator(IOptions<AnalyticsOptions> options, TimeProvider time, ICallAggregateObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _observer = observer;
        _messageIds = new(_options.DeduplicationCapacity, _options.DeduplicationWindow);
        _sequences = new(_options.DeduplicationCapacity, _options.DeduplicationWindow);
        _endedCalls = new(_options.DeduplicationCapacity, _options.DeduplicationWindow);
    }

    /// <summary>Redeliveries dropped so far.</summary>
    public long DuplicatesDropped => Interlocked.Read(ref _duplicates);

    /// <summary>Applies <paramref name="callEvent"/> unless <paramref name="messageId"/> or its (call, sequence) was seen.</summary>
    /// <param name="callEvent">The event.</param>
    /// <param name="messageId">The broker message id; the publisher sets it to the event id.</param>
    public ApplyResult Apply(ICallEvent callEvent, Guid messageId)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        // The deserializer leaves a missing field null whatever the contract says; such an event is counted, not thrown.
        if (string.IsNullOrEmpty(callEvent.CallId))
        {
            return ApplyResult.Rejected;
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Prune(now);

            // Both checks: a republished event may get a new message id (an old gateway, a replay tool), but the
            // per-call sequence number is fixed by the gateway when the event is raised.
            if (!_messageIds.TryAdd(messageId, true, now)
                || !_sequences.TryAdd((callEvent.CallId, callEvent.Sequence), true, now))
            {
                Interlocked.Increment(ref _duplicates);
                return ApplyResult.Duplicate;
            }

            return callEvent switch
            {
                CallStarted started => Started(started, now),
                CallEnded ended => Ended(ended, now),
                CallTransferred transferred => Transferred(transferred, now),
                _ => Progress(callEvent, now),
            };
        }
    }

    /// <summary>Calls in progress, oldest first.</summary>
    public IReadOnlyList<ActiveCallView> ActiveCalls()
    {
        lock (_gate)
        {
            Prune(_time.GetUtcNow());
            return _active.Values.OrderBy(c => c.StartedAt).ThenBy(c => c.CallId, StringComparer.Ordinal)
                .Select(c => c.ToView()).ToList();
        }
    }

    private ApplyResult Started(CallStarted started, DateTimeOffset now)
    {
        if (!_endedCalls.TryGetValue(started.CallId, now, out _))
        {
            // A progress event may have come first (CallStarted redelivered late): keep what it recorded.
            var call = GetOrAddActive(started, now);
            call.Flow = started.Flow;
            call.From = CallerMask.Mask(started.From);
            call.StartedAt = started.Timestamp;
            call.StartSeen = true;
            _observer?.CallChanged(call.ToView());
        }

        _observer?.AggregatesChanged();
        return ApplyResult.Applied;
    }

    private ApplyResult Ended(CallEnded ended, DateTimeOffset now)
    {
        _active.Remove(ended.CallId, out var call);
        _lastSeen.Remove(ended.CallId);
        _endedCalls.TryAdd(ended.CallId, true, now);
        if (call is not null)
        {
            _observer?.CallEnded(ended.CallId);
        }

        _observer?.AggregatesChanged();
        return ApplyResult.Applied;
    }

    private ApplyResult Transferred(CallTransferred transferred, DateTimeOffset now)
    {
        // A transfer that arrives after CallEnded still happened (the store counts it); it only revives no call.
        if (!_endedCalls.TryGetValue(transferred.CallId, now, out _))
        {
            var call = Touch(transferred, now);
            call.Flow ??= transferred.Flow;
            _observer?.CallChanged(call.ToView());
        }

        _observer?.AggregatesChanged();
        return ApplyResult.Applied;
    }

    private ApplyResult Progress(ICallEvent callEvent, DateTimeOffset now)
    {
        if (_endedCalls.TryGetValue(callEvent.CallId, now, out _))
        {
            return ApplyResult.LateForEndedCall;
        }

        var call = Touch(callEvent, now);
        switch (callEvent)
        {
            case EmotionDetected emotion:
                call.Emotion = emotion.Label;
                call.EmotionConfidence = emotion.Confidence;
                break;
            case FrustrationChanged frustration:
                call.Frustration = frustration.Score;
                call.FrustrationLevel = frustration.Level;
                call.PeakFrustration = Math.Max(call.PeakFrustration, frustration.Score);
                break;
            case VocalEventDetected vocal:
                call.VocalEvent(vocal.Kind);
                break;
        }

        _observer?.CallChanged(call.ToView());
        return ApplyResult.Applied;
    }

    private ActiveCall Touch(ICallEvent callEvent, DateTimeOffset now)
    {
        var call = GetOrAddActive(callEvent, now);
        if (callEvent.Timestamp > call.LastActivity)
        {
            call.LastActivity = callEvent.Timestamp;
        }

        return call;
    }

    private ActiveCall GetOrAddActive(ICallEvent callEvent, DateTimeOffset now)
    {
        _lastSeen[callEvent.CallId] = now;
        if (!_active.TryGetValue(callEvent.CallId, out var call))
        {
            // CallStarted lost or not yet here: the first event's time stands in for the start.
            call = new ActiveCall(callEvent.CallId, null, string.Empty, callEvent.Timestamp);
            _active.Add(callEvent.CallId, call);
        }

        return call;
    }

    private void Prune(DateTimeOffset now)
    {
        if (now < _nextPrune)
        {
            return;
        }

        _nextPrune = now + PruneEvery;
        // Idle is measured on this clock, not the events' timestamps, so a gateway's clock skew cannot evict calls.
        foreach (var (callId, _) in _lastSeen.Where(p => now - p.Value >= _options.ActiveCallIdleTimeout).ToList())
        {
            _lastSeen.Remove(callId);
            _active.Remove(callId);
            _observer?.CallEnded(callId);
        }
    }
}
