namespace StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;

/// <summary>
/// Codec-agnostic adaptive jitter buffer for one RTP source. Packets are stored in a preallocated ring indexed by
/// extended RTP timestamp (so RFC 4733 events sharing the sequence space leave no false gaps) and released in order
/// by <see cref="TryRelease"/> once their playout time has come. Not thread-safe: the owner serialises calls.
/// </summary>
/// <remarks>
/// <para>Playout time of a frame = anchor + (timestamp − anchor timestamp) / clock rate, on the local clock. The anchor
/// is set when the first packet arrives (playout = arrival + target) and moved when the delay is steered.</para>
/// <para>Target delay = clamp(k · J + one frame, MinDelay, MaxDelay), J the RFC 3550 A.8 jitter of arrivals. It rises
/// at once (a spike must not turn into loss) and falls by at most <see cref="JitterBufferOptions.DecreasePerSecond"/>
/// (one calm second must not undo it).</para>
/// <para>Steering: the smoothed wait of packets (playout − arrival) is compared with the target. More than a frame
/// above it, one frame is dropped; more than a frame below, one Concealed frame is inserted; at most one step per
/// <see cref="JitterBufferOptions.AdjustmentInterval"/>, and a drop takes a gap or comfort-noise frame when one is due,
/// which costs nothing audible. Clock drift shows up as exactly this slow growth or shrinkage (100 ppm ≈ one frame
/// every 200 s), so it needs no separate mechanism; <see cref="JitterBufferStatistics.DriftPpm"/> reports it. A packet
/// that finds the buffer empty after its own playout time (an underrun) re-anchors at arrival + target at once.</para>
/// <para>Gaps: one missing frame between a played frame and a buffered one is Concealed; longer runs are Missing
/// (silence), released at their playout times so playout never stalls; after a CN packet they are ComfortNoise.
/// With nothing newer buffered the buffer releases nothing (the tail is out) unless comfort noise is being held.</para>
/// </remarks>
public sealed class AdaptiveJitterBuffer
{
    private readonly JitterBufferOptions _options;
    private readonly int _clockRate;
    private readonly Slot[] _slots;
    private byte[]? _payloads;
    private readonly ClockDriftEstimator _drift = new();

    private bool _started;
    private int _frame;
    private long _lastExtended;
    private long _next;
    private long _highest;
    private long _anchorTimestamp;
    private TimeSpan _anchorTime;
    private int _depth;
    private JitterFrameKind _lastKind = JitterFrameKind.Missing;
    private bool _inComfortNoise;
    private byte _noiseLevel;
    private TimeSpan _lastArrival;
    private TimeSpan? _lastAdjustment;

    private bool _hasSequence;
    private long _highestSequence;

    private bool _hasTransit;
    private double _previousTransit;
    private double _jitterSeconds;
    private double _waitSeconds;
    private TimeSpan _target;
    private TimeSpan _lastTargetUpdate;

    private long _late;
    private long _duplicates;
    private long _reordered;
    private long _concealed;
    private long _missing;
    private long _dropped;
    private long _inserted;
    private long _resynchronisations;
    private int _maxDepth;

    /// <summary>Creates a buffer for a stream with the given RTP clock rate.</summary>
    public AdaptiveJitterBuffer(JitterBufferOptions options, int clockRate)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(clockRate, 1000);
        options.Validate();
        if (options.MaxGapFrames >= options.Capacity)
        {
            throw new ArgumentException("MaxGapFrames must be below Capacity so every accepted packet fits the ring.", nameof(options));
        }

        _options = options;
        _clockRate = clockRate;
        _slots = new Slot[options.Capacity];
        _target = options.MinDelay;
    }

    /// <summary>Frames currently held.</summary>
    public int Depth => _depth;

    private TimeSpan FrameTime => TimeSpan.FromTicks(_frame * TimeSpan.TicksPerSecond / _clockRate);

    /// <summary>Stores one received packet.</summary>
    /// <param name="sequence">RTP sequence number (used to count reordering).</param>
    /// <param name="timestamp">RTP timestamp.</param>
    /// <param name="payload">Audio payload, or for <paramref name="comfortNoise"/> the RFC 3389 payload.</param>
    /// <param name="duration">Timestamp units the packet covers (for G.711 its sample count).</param>
    /// <param name="arrival">Arrival time on the local clock.</param>
    /// <param name="comfortNoise">Whether this is an RFC 3389 CN packet.</param>
    /// <returns>False when the packet was dropped as late or duplicate.</returns>
    public bool Push(ushort sequence, uint timestamp, ReadOnlySpan<byte> payload, int duration, TimeSpan arrival, bool comfortNoise = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, 1);
        long extended;
        if (!_started)
        {
            // Start one wrap up so packets from just before the first one never go negative (slot arithmetic).
            extended = timestamp + (1L << 32);
            Restart(extended, duration, arrival);
        }
        else
        {
            extended = _lastExtended + unchecked((int)(timestamp - (uint)_lastExtended));
            long frames = (extended - _next) / _frame;
            bool misaligned = (extended - _next) % _frame != 0 || (!comfortNoise && duration != _frame);
            if (misaligned || frames > _options.MaxGapFrames || frames < -_options.MaxGapFrames)
            {
                // RFC 3550 §5.1 lets timestamps jump (sender restart, new frame size); that is a new timeline, not loss.
                _resynchronisations++;
                Restart(extended, comfortNoise ? _frame : duration, arrival);
            }
        }

        _lastExtended = extended;
        _lastArrival = arrival;
        UpdateJitter(extended, arrival);
        UpdateTarget(arrival);

        ref var slot = ref _slots[SlotIndex(extended)];
        if (extended < _next)
        {
            if (slot.State == SlotState.Released && slot.Timestamp == extended)
            {
                _duplicates++;
            }
            else
            {
                _late++;
            }

            return false;
        }

        if (slot.State is SlotState.Audio or SlotState.ComfortNoise && slot.Timestamp == extended)
        {
            _duplicates++;
            return false;
        }

        CountReordering(sequence);
        if (_depth == 0 && PlayoutTime(extended) < arrival)
        {
            // Underrun: the packet is already due. Re-anchor so it plays one target delay from now (fast increase).
            _anchorTime = arrival + _target - TicksFor(extended - _anchorTimestamp);
        }

        int length = Math.Min(payload.Length, _options.MaxPayloadBytes);
        // Allocated on the first packet (77 KB by default), not when the call is offered: call set-up stays cheap and a
        // call that never sends audio costs nothing (issue 16: set-up at a thousand calls a second was GC-bound).
        _payloads ??= new byte[_options.Capacity * _options.MaxPayloadBytes];
        payload[..length].CopyTo(_payloads.AsSpan(SlotIndex(extended) * _options.MaxPayloadBytes, length));
        slot = new Slot(extended, length, comfortNoise ? SlotState.ComfortNoise : SlotState.Audio);
        _depth++;
        _maxDepth = Math.Max(_maxDepth, _depth);
        _highest = Math.Max(_highest, extended);

        double wait = (PlayoutTime(extended) - arrival).TotalSeconds;
        _waitSeconds += (wait - _waitSeconds) / 16;
        return true;
    }

    /// <summary>Releases the next frame if its playout time has come; call until it returns false.</summary>
    /// <param name="now">The local clock, on the same scale as the arrival times.</param>
    /// <param name="frame">The frame; its payload is valid until the next call on this buffer.</param>
    public bool TryRelease(TimeSpan now, out JitterFrame frame) => TryRelease(now, steer: true, out frame);

    /// <summary>Releases everything buffered now, gaps included, without delay steering (e.g. before a source change).</summary>
    public bool TryFlush(out JitterFrame frame) => TryRelease(TimeSpan.MaxValue, steer: false, out frame);

    private bool TryRelease(TimeSpan now, bool steer, out JitterFrame frame)
    {
        frame = default;
        while (_started && PlayoutTime(_next) <= now)
        {
            ref var slot = ref _slots[SlotIndex(_next)];
            bool present = slot.Timestamp == _next && slot.State is SlotState.Audio or SlotState.ComfortNoise;
            double excess = _waitSeconds - _target.TotalSeconds;
            bool mayAdjust = steer && (_lastAdjustment is not { } last || now - last >= _options.AdjustmentInterval);
            if (!present && _highest < _next)
            {
                if (_inComfortNoise && now - _lastArrival < _options.ComfortNoiseHold)
                {
                    frame = Emit(JitterFrameKind.ComfortNoise, ReadOnlySpan<byte>.Empty);
                    return true;
                }

                return false;
            }

            if (mayAdjust && excess > FrameTime.TotalSeconds && (!present || _lastKind != JitterFrameKind.Normal || excess > 2 * FrameTime.TotalSeconds))
            {
                // Shrink by one frame: prefer a gap or silence frame; a speech frame only once the excess is two frames.
                DropNext(ref slot, present, now);
                continue;
            }

            if (mayAdjust && excess < -FrameTime.TotalSeconds)
            {
                _inserted++;
                _lastAdjustment = now;
                _anchorTime += FrameTime;
                _waitSeconds += FrameTime.TotalSeconds;
                var kind = _inComfortNoise ? JitterFrameKind.ComfortNoise : JitterFrameKind.Concealed;
                frame = new JitterFrame(kind, unchecked((uint)_next), _frame, ReadOnlySpan<byte>.Empty);
                _lastKind = kind;
                return true;
            }

            if (present)
            {
                var kind = slot.State == SlotState.ComfortNoise ? JitterFrameKind.ComfortNoise : JitterFrameKind.Normal;
                var payload = _payloads!.AsSpan(SlotIndex(_next) * _options.MaxPayloadBytes, slot.Length);
                _inComfortNoise = kind == JitterFrameKind.ComfortNoise;
                if (_inComfortNoise)
                {
                    _noiseLevel = payload.IsEmpty ? (byte)127 : payload[0];
                }

                slot.State = SlotState.Released;
                _depth--;
                frame = Emit(kind, payload);
                return true;
            }

            slot = new Slot(_next, 0, SlotState.Empty);
            if (_inComfortNoise)
            {
                frame = Emit(JitterFrameKind.ComfortNoise, ReadOnlySpan<byte>.Empty);
                return true;
            }

            bool single = _lastKind == JitterFrameKind.Normal && IsBuffered(_next + _frame);
            if (single)
            {
                _concealed++;
            }
            else
            {
                _missing++;
            }

            frame = Emit(single ? JitterFrameKind.Concealed : JitterFrameKind.Missing, ReadOnlySpan<byte>.Empty);
            return true;
        }

        return false;
    }

    /// <summary>The noise level (−dBov, RFC 3389 §3) of the comfort noise currently played.</summary>
    public byte NoiseLevel => _noiseLevel;

    /// <summary>Forgets all packets and timing, e.g. when the RTP source (SSRC) changes. Counters stay.</summary>
    public void Reset()
    {
        _started = false;
        _hasSequence = false;
        _hasTransit = false;
        _jitterSeconds = 0;
        _target = _options.MinDelay;
        _drift.Reset();
        Array.Clear(_slots);
        _depth = 0;
        _inComfortNoise = false;
    }

    /// <summary>Takes a snapshot of state and counters.</summary>
    public JitterBufferStatistics GetStatistics() => new(
        CurrentDelay: TimeSpan.FromSeconds(Math.Max(0, _waitSeconds)),
        TargetDelay: _target,
        Jitter: TimeSpan.FromSeconds(_jitterSeconds),
        PacketsLate: _late,
        PacketsDuplicate: _duplicates,
        PacketsReordered: _reordered,
        FramesConcealed: _concealed,
        FramesMissing: _missing,
        FramesDropped: _dropped,
        FramesInserted: _inserted,
        Resynchronisations: _resynchronisations,
        DriftPpm: _drift.Ppm,
        MaxDepth: _maxDepth);

    private JitterFrame Emit(JitterFrameKind kind, ReadOnlySpan<byte> payload)
    {
        var frame = new JitterFrame(kind, unchecked((uint)_next), _frame, payload);
        _lastKind = kind;
        _next += _frame;
        return frame;
    }

    private void DropNext(ref Slot slot, bool present, TimeSpan now)
    {
        if (present)
        {
            slot.State = SlotState.Released;
            _depth--;
        }

        _dropped++;
        _lastAdjustment = now;
        _next += _frame;
        _anchorTime -= FrameTime;
        _waitSeconds -= FrameTime.TotalSeconds;
    }

    private void Restart(long extended, int duration, TimeSpan arrival)
    {
        _started = true;
        _frame = duration;
        Array.Clear(_slots);
        _depth = 0;
        _next = extended;
        _highest = extended - 1;
        _anchorTimestamp = extended;
        _anchorTime = arrival + _target;
        _waitSeconds = _target.TotalSeconds;
        _lastKind = JitterFrameKind.Missing;
        _inComfortNoise = false;
        _hasTransit = false;
        _lastTargetUpdate = arrival;
        _drift.Reset();
    }

    private void CountReordering(ushort sequence)
    {
        long extended = _hasSequence ? _highestSequence + unchecked((short)(sequence - (ushort)_highestSequence)) : sequence;
        if (_hasSequence && extended < _highestSequence)
        {
            _reordered++;
            return;
        }

        _hasSequence = true;
        _highestSequence = extended;
    }

    private void UpdateJitter(long extended, TimeSpan arrival)
    {
        double sender = (double)(extended - _anchorTimestamp) / _clockRate;
        double transit = arrival.TotalSeconds - sender;
        _drift.Add(sender, arrival.TotalSeconds);
        if (_hasTransit)
        {
            // RFC 3550 A.8: J += (|D| − J) / 16.
            _jitterSeconds += (Math.Abs(transit - _previousTransit) - _jitterSeconds) / 16;
        }

        _hasTransit = true;
        _previousTransit = transit;
    }

    private void UpdateTarget(TimeSpan arrival)
    {
        var wanted = TimeSpan.FromSeconds((_options.JitterMultiplier * _jitterSeconds) + FrameTime.TotalSeconds);
        wanted = wanted < _options.MinDelay ? _options.MinDelay : wanted > _options.MaxDelay ? _options.MaxDelay : wanted;
        var elapsed = arrival - _lastTargetUpdate;
        _lastTargetUpdate = arrival;
        if (wanted >= _target)
        {
            _target = wanted;
            return;
        }

        var lowered = _target - (_options.DecreasePerSecond * Math.Max(0, elapsed.TotalSeconds));
        _target = lowered > wanted ? lowered : wanted;
    }

    private bool IsBuffered(long extended)
    {
        ref var slot = ref _slots[SlotIndex(extended)];
        return slot.Timestamp == extended && slot.State is SlotState.Audio or SlotState.ComfortNoise;
    }

    private TimeSpan PlayoutTime(long extended) => _anchorTime + TicksFor(extended - _anchorTimestamp);

    private TimeSpan TicksFor(long timestampUnits) => TimeSpan.FromTicks(timestampUnits * TimeSpan.TicksPerSecond / _clockRate);

    private int SlotIndex(long extended) => (int)((ulong)(extended / _frame) % (ulong)_slots.Length);

    private enum SlotState : byte
    {
        Empty,
        Audio,
        ComfortNoise,
        Released,
    }

    private record struct Slot(long Timestamp, int Length, SlotState State);
}
