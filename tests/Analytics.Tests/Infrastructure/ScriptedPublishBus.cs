using System.Collections.Concurrent;
using System.Reflection;
using MassTransit;
using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Tests.Infrastructure;

/// <summary>
/// An <see cref="IBus"/> that only publishes, with a scripted confirm delay and failures, recording every
/// attempt and how many publishes of each call overlap: enough to test the delivery loop's windowing without
/// a broker's timing. Every other IBus member throws.
/// </summary>
internal class ScriptedPublishBus : DispatchProxy
{
    private readonly ConcurrentQueue<(ICallEvent Event, bool Confirmed)> _attempts = new();
    private readonly ConcurrentDictionary<string, int> _inFlightByCall = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, int> _failuresLeft = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _sameCallOverlaps;

    /// <summary>Every publish attempt in the order they started, and whether the "broker" confirmed it.</summary>
    public IReadOnlyList<(ICallEvent Event, bool Confirmed)> Attempts => [.. _attempts];

    /// <summary>Most publishes awaiting their confirm at the same time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Times a call's event was published while another of the same call was still unconfirmed.</summary>
    public int SameCallOverlaps => Volatile.Read(ref _sameCallOverlaps);

    public TimeSpan ConfirmDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    public static (IBus Bus, ScriptedPublishBus Script) Create()
    {
        var bus = DispatchProxy.Create<IBus, ScriptedPublishBus>();
        return (bus, (ScriptedPublishBus)(object)bus);
    }

    /// <summary>The next <paramref name="times"/> attempts to publish <paramref name="callEvent"/> fail.</summary>
    public void FailNext(ICallEvent callEvent, int times = 1) => _failuresLeft[callEvent.EventId] = times;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is { Name: nameof(IPublishEndpoint.Publish) } && args is [ICallEvent callEvent, Type, _, CancellationToken token])
        {
            return PublishAsync(callEvent, token);
        }

        throw new NotSupportedException($"{targetMethod?.Name} is not scripted");
    }

    private async Task PublishAsync(ICallEvent callEvent, CancellationToken token)
    {
        if (_inFlightByCall.AddOrUpdate(callEvent.CallId, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref _sameCallOverlaps);
        }

        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        var fail = _failuresLeft.TryGetValue(callEvent.EventId, out var left) && left > 0;
        if (fail)
        {
            _failuresLeft[callEvent.EventId] = left - 1;
        }

        try
        {
            await Task.Delay(ConfirmDelay, token);
            _attempts.Enqueue((callEvent, !fail));
            if (fail)
            {
                throw new InvalidOperationException("scripted publish failure");
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _inFlightByCall.AddOrUpdate(callEvent.CallId, 0, (_, n) => n - 1);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }
}
