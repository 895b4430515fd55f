using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Outbox;
using StepAudio.Telephony.Analytics.Queueing;

namespace StepAudio.Telephony.Analytics.Diagnostics;

/// <summary>
/// Whether events can still be taken safely: the broker is reachable, or the disk outbox has room to wait for it (below
/// <see cref="OutboxOptions.WarnAtRatio"/>). A gateway uses it for readiness: with the broker down it keeps taking calls
/// until the outbox fills past its warning level.
/// </summary>
public sealed class PublishingHealth
{
    private readonly IBusControl _bus;
    private readonly ICallEventQueue _queue;
    private readonly OutboxOptions _outbox;

    internal PublishingHealth(IBusControl bus, ICallEventQueue queue, IOptions<OutboxOptions> outbox)
    {
        _bus = bus;
        _queue = queue;
        _outbox = outbox.Value;
    }

    /// <summary>True when events are safe; <paramref name="detail"/> says why, for operators.</summary>
    public bool Check(out string detail)
    {
        if (_bus.CheckHealth().Status == BusHealthStatus.Healthy)
        {
            detail = "broker reachable";
            return true;
        }

        if (_queue is DiskCallEventQueue disk && _outbox.MaxBytes > 0)
        {
            var ratio = (double)disk.HeldBytes / _outbox.MaxBytes;
            detail = string.Create(CultureInfo.InvariantCulture, $"broker unreachable; outbox {ratio:P1} full (not ready from {_outbox.WarnAtRatio:P0})");
            return ratio < _outbox.WarnAtRatio;
        }

        detail = "broker unreachable and no disk outbox";
        return false;
    }
}
