namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// The receiver's replay list (RFC 3711 §3.3.2): a sliding window of <see cref="Size"/> indices behind the highest
/// authenticated one, as a bitmap. Checked before authentication, updated only after it succeeds, so a forged packet
/// cannot move the window.
/// </summary>
internal struct SrtpReplayWindow
{
    /// <summary>RFC 3711 §3.3.2 asks for at least 64; libsrtp uses 128 by default, 64 suffices for voice.</summary>
    public const int Size = 64;

    private ulong _highest;
    private ulong _bitmap;
    private bool _started;

    public readonly ulong Highest => _highest;

    public readonly bool Started => _started;

    /// <summary>True when <paramref name="index"/> was seen already or is too old to tell (behind the window).</summary>
    public readonly bool IsReplay(ulong index)
    {
        if (!_started || index > _highest)
        {
            return false;
        }

        var delta = _highest - index;
        return delta >= Size || (_bitmap & (1UL << (int)delta)) != 0;
    }

    /// <summary>Records an authenticated index.</summary>
    public void Accept(ulong index)
    {
        if (!_started)
        {
            _started = true;
            _highest = index;
            _bitmap = 1;
            return;
        }

        if (index > _highest)
        {
            var shift = index - _highest;
            _bitmap = shift >= Size ? 1 : (_bitmap << (int)shift) | 1;
            _highest = index;
        }
        else
        {
            _bitmap |= 1UL << (int)(_highest - index);
        }
    }
}
