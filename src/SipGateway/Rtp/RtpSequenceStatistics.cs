namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// Per-source reception statistics: extended sequence numbers and loss (RFC 3550 Appendix A.1, A.3) and
/// interarrival jitter (Appendix A.8). Not thread-safe; the owner serialises access.
/// </summary>
internal sealed class RtpSequenceStatistics
{
    // RFC 3550 A.1: a jump of less than MAX_DROPOUT is loss; within MAX_MISORDER behind is reordering.
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const int SequenceModulo = 1 << 16;

    private bool _initialised;
    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private uint _badSequence;
    private long _received;

    private bool _hasTransit;
    private uint _transit;
    private uint _jitterScaled; // A.8 keeps jitter scaled by 16 to stay in integer arithmetic.

    /// <summary>Packets accepted by the sequence check since the last (re)initialisation.</summary>
    public long Received => _received;

    /// <summary>Expected packets from the extended highest and base sequence numbers (A.3).</summary>
    public long Expected => _initialised ? (long)_cycles + _maxSequence - _baseSequence + 1 : 0;

    /// <summary>Cumulative number of packets lost; negative when duplicates arrived (A.3).</summary>
    public long Lost => Expected - _received;

    /// <summary>
    /// Packets lost for people to read: <see cref="Lost"/> clamped at zero. A.3's cumulative loss goes negative when
    /// duplicates (or packets counted again after reordering) outnumber the losses; "lost −2" in a log reads as nonsense.
    /// </summary>
    public long LostClamped => Math.Max(0, Lost);

    /// <summary>Packets received beyond those expected (duplicates): the negative part of <see cref="Lost"/>.</summary>
    public long Surplus => Math.Max(0, -Lost);

    /// <summary>The extended highest sequence number received (cycles + max).</summary>
    public long ExtendedHighestSequence => _initialised ? (long)_cycles + _maxSequence : -1;

    /// <summary>Interarrival jitter in timestamp units (A.8).</summary>
    public uint Jitter => _jitterScaled >> 4;

    /// <summary>Forgets everything, e.g. when the sender changes its SSRC.</summary>
    public void Reset()
    {
        _initialised = false;
        _hasTransit = false;
        _jitterScaled = 0;
        _received = 0;
        _cycles = 0;
    }

    /// <summary>Accounts for a packet's sequence number.</summary>
    /// <returns>False when the packet is far outside the expected window and should be discarded (A.1).</returns>
    public bool UpdateSequence(ushort sequence)
    {
        if (!_initialised)
        {
            InitSequence(sequence);
            _initialised = true;
            _received++;
            return true;
        }

        ushort delta = unchecked((ushort)(sequence - _maxSequence));
        if (delta < MaxDropout)
        {
            // In order, with a permissible gap; a numerically smaller value means the 16-bit counter wrapped.
            if (sequence < _maxSequence)
            {
                _cycles += SequenceModulo;
            }

            _maxSequence = sequence;
        }
        else if (delta <= SequenceModulo - MaxMisorder)
        {
            // A very large jump: accept it only if the next packet follows it, i.e. the sender restarted.
            if (sequence == _badSequence)
            {
                InitSequence(sequence);
            }
            else
            {
                _badSequence = (uint)((sequence + 1) & (SequenceModulo - 1));
                return false;
            }
        }

        // Otherwise a duplicate or reordered packet: counted but does not move the highest sequence number.
        _received++;
        return true;
    }

    /// <summary>Updates interarrival jitter with a packet's RTP timestamp and its arrival time in the same units.</summary>
    public void UpdateJitter(uint rtpTimestamp, uint arrival)
    {
        uint transit = unchecked(arrival - rtpTimestamp);
        if (!_hasTransit)
        {
            _hasTransit = true;
            _transit = transit;
            return;
        }

        int d = unchecked((int)(transit - _transit));
        _transit = transit;
        uint absolute = d < 0 ? (uint)-(long)d : (uint)d;

        // A.8: J += (|D| - J) / 16, in the scaled integer form.
        _jitterScaled = unchecked(_jitterScaled + absolute - ((_jitterScaled + 8) >> 4));
    }

    private void InitSequence(ushort sequence)
    {
        _baseSequence = sequence;
        _maxSequence = sequence;
        _badSequence = SequenceModulo + 1;
        _cycles = 0;
        _received = 0;
    }
}
