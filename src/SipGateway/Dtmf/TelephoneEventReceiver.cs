using StepAudio.Telephony.SipGateway.Sip.Dialogs;

namespace StepAudio.Telephony.SipGateway.Dtmf;

/// <summary>
/// Turns one stream's RFC 4733 telephone-event packets into key presses, each reported exactly once when it ends.
/// </summary>
/// <remarks>
/// An event is identified by its RTP timestamp (§2.5.1.1: all packets of one event carry the event's start time), so
/// repeats (§2.5.1.2) and the three end packets (§2.5.1.4) are recognised by timestamp alone, and a packet with an
/// older timestamp than the latest event (reordered or late, up to <see cref="MaxReorder"/>) is ignored. An event whose end packets were all
/// lost is completed when the next event starts or after <see cref="DefaultEndTimeout"/> without an update (the end is
/// only sent three times, §2.5.1.4, so a receiver has to cope with losing all of them). A change of SSRC starts the
/// timestamp space afresh. Limitation: a key held longer than the 16-bit duration (8.2 s at 8 kHz) is split by the
/// sender into segments with new timestamps (§2.5.1.3) and is reported as one press per segment.
/// Thread-safe; the sink is called under the receiver's lock so digits come out in order.
/// </remarks>
public sealed class TelephoneEventReceiver : IDisposable
{
    /// <summary>How long an event may go without an update before it counts as ended (updates come every ~50 ms).</summary>
    public static readonly TimeSpan DefaultEndTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far behind the latest event a timestamp may be and still count as a late packet of an old event. Further
    /// back it is a discontinuity (the sender restarted its clock, A.1 "source restart"), and starts a new event.
    /// </summary>
    public static readonly TimeSpan MaxReorder = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly IDtmfSink _sink;
    private readonly int _clockRate;
    private readonly TimeSpan _endTimeout;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly long _maxReorder;

    private bool _hasSource;
    private uint _ssrc;
    private bool _hasEvent;
    private bool _active;
    private uint _eventTimestamp;
    private byte _eventCode;
    private ushort _duration;
    private long _lastUpdate;
    private bool _disposed;
    private long _ignored;

    /// <summary>Creates a receiver that reports to <paramref name="sink"/>.</summary>
    /// <param name="sink">Receives completed digits.</param>
    /// <param name="clockRate">The telephone-event clock rate from SDP (8000 unless negotiated otherwise).</param>
    /// <param name="time">Clock and timers; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="endTimeout">See <see cref="DefaultEndTimeout"/>.</param>
    public TelephoneEventReceiver(IDtmfSink sink, int clockRate = 8000, TimeProvider? time = null, TimeSpan? endTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        _sink = sink;
        _clockRate = clockRate;
        _time = time ?? TimeProvider.System;
        _endTimeout = endTimeout ?? DefaultEndTimeout;
        _maxReorder = (long)(MaxReorder.TotalSeconds * clockRate);
        _timer = _time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Packets that did not start, update or end an event (malformed, repeated after the end, late).</summary>
    public long PacketsIgnored => Interlocked.Read(ref _ignored);

    /// <summary>Accounts for one telephone-event packet that passed the RTP checks.</summary>
    public void OnPacket(uint ssrc, uint timestamp, ReadOnlySpan<byte> payload)
    {
        if (!TelephoneEventPayload.TryParse(payload, out var block))
        {
            Ignore(DtmfMetrics.Malformed);
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (!_hasSource || ssrc != _ssrc)
            {
                // RFC 3550 §8.2: another SSRC is another source with its own random timestamp origin.
                CompleteActive();
                _hasSource = true;
                _ssrc = ssrc;
                _hasEvent = false;
            }

            if (_hasEvent)
            {
                int age = unchecked((int)(timestamp - _eventTimestamp));
                if (age < 0 && -(long)age <= _maxReorder)
                {
                    Ignore(DtmfMetrics.Late);
                    return;
                }

                if (age == 0 && !_active)
                {
                    Ignore(DtmfMetrics.Repeat);
                    return;
                }

                if (age != 0)
                {
                    // A new event began while the previous one never saw its end: that one is over, report it now.
                    CompleteActive();
                }
            }

            if (!_active)
            {
                _hasEvent = true;
                _active = true;
                _eventTimestamp = timestamp;
                _eventCode = block.Event;
                _duration = 0;
            }

            // §2.5.1.2: the duration field grows with each update; a reordered update may carry a smaller one.
            _duration = Math.Max(_duration, block.Duration);
            _lastUpdate = _time.GetTimestamp();
            if (block.End)
            {
                Complete(endSeen: true);
            }
            else
            {
                _timer.Change(_endTimeout, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _active = false;
        }

        _timer.Dispose();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (!_active || _disposed)
            {
                return;
            }

            var quiet = _time.GetElapsedTime(_lastUpdate);
            if (quiet < _endTimeout)
            {
                _timer.Change(_endTimeout - quiet, Timeout.InfiniteTimeSpan);
                return;
            }

            Complete(endSeen: false);
        }
    }

    private void CompleteActive()
    {
        if (_active)
        {
            Complete(endSeen: false);
        }
    }

    private void Complete(bool endSeen)
    {
        _active = false;
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (!endSeen)
        {
            DtmfMetrics.EndLost.Add(1);
        }

        if (!DtmfEvents.TryGetDigit(_eventCode, out char digit))
        {
            Ignore(DtmfMetrics.NotDtmf);
            return;
        }

        DtmfMetrics.Digits.Add(1);
        _sink.OnDtmf(digit, TimeSpan.FromTicks(_duration * TimeSpan.TicksPerSecond / _clockRate), DtmfSource.Rfc4733);
    }

    private void Ignore(KeyValuePair<string, object?> reason)
    {
        Interlocked.Increment(ref _ignored);
        DtmfMetrics.PacketsIgnored.Add(1, reason);
    }
}
