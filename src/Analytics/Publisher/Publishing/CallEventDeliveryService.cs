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
/// Drains the event queue to the broker in order. The head event is retried until the broker confirms it,
/// so an outage delays events but never drops or reorders them. A retry after a timed-out confirm may
/// deliver an event twice; consumers de-duplicate on MessageId, which is the event's EventId.
/// </summary>
internal sealed class CallEventDeliveryService : BackgroundService
{
    private readonly ICallEventQueue _queue;
    private readonly IPublishEndpoint _publishEndpoint;
    private readonly PublishingMetrics _metrics;
    private readonly EventPublishingOptions _options;
    private readonly ILogger<CallEventDeliveryService> _logger;
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
            while (_queue.TryPeek(out var callEvent))
            {
                if (!await DeliverAsync(callEvent, stoppingToken))
                {
                    return;
                }

                _queue.RemoveHead();
            }
        }
    }

    private async Task DrainAsync()
    {
        using var drainDeadline = new CancellationTokenSource(_options.DrainTimeout);
        var delivered = 0;
        while (_queue.TryPeek(out var callEvent) && await DeliverAsync(callEvent, drainDeadline.Token))
        {
            _queue.RemoveHead();
            delivered++;
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

    /// <summary>Publishes one event, retrying until confirmed; false only when <paramref name="giveUp"/> fires.</summary>
    private async Task<bool> DeliverAsync(ICallEvent callEvent, CancellationToken giveUp)
    {
        var failedAttempts = 0;
        while (true)
        {
            try
            {
                await PublishOnceAsync(callEvent, giveUp);
                _metrics.Published();
                if (_brokerUnavailable)
                {
                    _brokerUnavailable = false;
                    PublishingLog.DeliveryResumed(_logger, failedAttempts, _queue.Count);
                }

                return true;
            }
            catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex)
            {
                failedAttempts++;
                _metrics.PublishFailed();
                if (!_brokerUnavailable)
                {
                    _brokerUnavailable = true;
                    PublishingLog.BrokerUnavailable(_logger, _queue.Count, ex);
                }
            }

            try
            {
                await Task.Delay(
                    RetryBackoff.Delay(failedAttempts, _options.RetryBackoffBase, _options.RetryBackoffMax), giveUp);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
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
