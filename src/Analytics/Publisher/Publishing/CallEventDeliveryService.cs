using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Diagnostics;
using StepAudio.Telephony.Analytics.Queueing;

namespace StepAudio.Telephony.Analytics.Publishing;

/// <summary>
/// Drains the event queue to the broker a window at a time. Within a window, different calls are published
/// concurrently and each call's events one after another, each awaiting its publisher confirm, so the
/// broker round trip no longer caps throughput while every call's order is kept. The window leaves the queue
/// only once all of it is confirmed; a failure retries just the unconfirmed events, so an outage delays
/// events but never drops or reorders them. A retry after a timed-out confirm may deliver an event twice;
/// consumers de-duplicate on MessageId, which is the event's EventId.
/// </summary>
internal sealed class CallEventDeliveryService : BackgroundService
{
    private readonly ICallEventQueue _queue;
    private readonly IPublishEndpoint _publishEndpoint;
    private readonly PublishingMetrics _metrics;
    private readonly EventPublishingOptions _options;
    private readonly ILogger<CallEventDeliveryService> _logger;
    private readonly List<ICallEvent> _window = [];
    private readonly Dictionary<string, CallLane> _lanesByCall = new(StringComparer.Ordinal);
    private readonly List<CallLane> _lanes = [];
    private readonly List<Task<Exception?>> _attempts = [];
    private bool _brokerUnavailable;
    private int _undeliveredAtShutdown = -1;

    public CallEventDeliveryService(
        ICallEventQueue queue,
        IBus bus,
        PublishingMetrics metrics,
        IOptions<EventPublishingOptions> options,
        ILogger<CallEventDeliveryService> logger)
    {
        _queue = queue;
        _publishEndpoint = bus;
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Events left in the queue when shutdown gave up draining; -1 until shutdown finished.</summary>
    internal int UndeliveredAtShutdown => Volatile.Read(ref _undeliveredAtShutdown);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await DeliverUntilStoppedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown; what is still queued gets a bounded drain below.
        }

        await DrainAsync();
    }

    private async Task DeliverUntilStoppedAsync(CancellationToken stoppingToken)
    {
        while (await _queue.WaitToReadAsync(stoppingToken))
        {
            while (TakeWindow() > 0)
            {
                if (!await DeliverWindowAsync(stoppingToken))
                {
                    return;
                }

                _queue.RemoveHead(_window.Count);
            }
        }
    }

    private async Task DrainAsync()
    {
        using var drainDeadline = new CancellationTokenSource(_options.DrainTimeout);
        var delivered = 0;
        while (TakeWindow() > 0 && await DeliverWindowAsync(drainDeadline.Token))
        {
            _queue.RemoveHead(_window.Count);
            delivered += _window.Count;
        }

        var remaining = _queue.Count;
        Volatile.Write(ref _undeliveredAtShutdown, remaining);
        if (remaining == 0)
        {
            PublishingLog.AllDeliveredAtShutdown(_logger, delivered);
        }
        else
        {
            PublishingLog.UndeliveredAtShutdown(_logger, remaining, _options.DrainTimeout);
        }
    }

    /// <summary>Peeks the next window and splits it into one lane per call, keeping queue order inside each.</summary>
    private int TakeWindow()
    {
        _window.Clear();
        _lanes.Clear();
        _lanesByCall.Clear();
        var count = _queue.PeekBatch(_window, _options.MaxInFlight);
        foreach (var callEvent in _window)
        {
            if (!_lanesByCall.TryGetValue(callEvent.CallId, out var lane))
            {
                lane = new CallLane();
                _lanesByCall.Add(callEvent.CallId, lane);
                _lanes.Add(lane);
            }

            lane.Add(callEvent);
        }

        return count;
    }

    /// <summary>Publishes the window, retrying unconfirmed lanes until all are confirmed; false only when <paramref name="giveUp"/> fires.</summary>
    private async Task<bool> DeliverWindowAsync(CancellationToken giveUp)
    {
        var failedRounds = 0;
        while (true)
        {
            _attempts.Clear();
            foreach (var lane in _lanes)
            {
                if (!lane.IsComplete)
                {
                    _attempts.Add(PublishLaneAsync(lane, giveUp));
                }
            }

            await Task.WhenAll(_attempts);
            if (giveUp.IsCancellationRequested)
            {
                return false;
            }

            var firstFailure = FirstFailure();
            if (firstFailure is null)
            {
                if (_brokerUnavailable)
                {
                    _brokerUnavailable = false;
                    PublishingLog.DeliveryResumed(_logger, failedRounds, _queue.Count);
                }

                return true;
            }

            failedRounds++;
            if (!_brokerUnavailable)
            {
                _brokerUnavailable = true;
                PublishingLog.BrokerUnavailable(_logger, _queue.Count, firstFailure);
            }

            try
            {
                await Task.Delay(
                    RetryBackoff.Delay(failedRounds, _options.RetryBackoffBase, _options.RetryBackoffMax), giveUp);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private Exception? FirstFailure()
    {
        foreach (var attempt in _attempts)
        {
            if (attempt.Result is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    /// <summary>Publishes a lane's unconfirmed events in order; returns the failure that stopped it, or null.</summary>
    private async Task<Exception?> PublishLaneAsync(CallLane lane, CancellationToken giveUp)
    {
        // Yield first so the lanes of a window start together instead of the first running synchronously.
        await Task.Yield();
        while (!lane.IsComplete)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await PublishOnceAsync(lane.Next, giveUp);
            }
            catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex)
            {
                // The rest of this call waits: publishing a later event first would reorder the call.
                _metrics.PublishFailed();
                return ex;
            }

            _metrics.Published(Stopwatch.GetElapsedTime(started));
            lane.ConfirmNext();
        }

        return null;
    }

    private async Task PublishOnceAsync(ICallEvent callEvent, CancellationToken giveUp)
    {
        // MassTransit waits for a lost connection to come back, so every attempt needs its own bound.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(giveUp);
        attempt.CancelAfter(_options.PublishTimeout);
        var eventId = callEvent.EventId;
        try
        {
            await _publishEndpoint.Publish(
                callEvent,
                callEvent.GetType(),
                Pipe.Execute<PublishContext>(context => context.MessageId = eventId),
                attempt.Token);
        }
        catch (OperationCanceledException) when (!giveUp.IsCancellationRequested)
        {
            throw new TimeoutException($"Publish not confirmed within {_options.PublishTimeout}.");
        }
    }
}
