namespace StepAudio.Telephony.SipGateway.Calls;

/// <summary>
/// Keeps the call engine's audio clock on the caller's RTP timeline. The jitter buffer steers its delay by dropping
/// a frame or inserting a concealed one (AdaptiveJitterBuffer), which is right for playout but would shift every
/// later speech time a consumer reads by 20 ms a step. Placed by RTP timestamp instead, a dropped frame becomes
/// silence of its length and a frame that repeats time already fed is left out, so "seconds of caller audio" mean
/// the same in a live call as in <c>simulate</c> on the same audio. One owner (the receive loop).
/// </summary>
internal sealed class CallerAudioTimeline
{
    // G.711 and G.722 both run their RTP clock at 8 kHz (RFC 3551 §4.5.2: G.722's is 8000 although it samples at 16 kHz).
    private const int ClockRate = 8000;

    private bool _started;
    private uint _next;

    /// <summary>
    /// Where a decoded frame with <paramref name="rtpTimestamp"/> goes: the samples of silence (at
    /// <paramref name="sampleRate"/>) to feed before it, or −1 when it repeats time already fed and is left out.
    /// </summary>
    public int Place(uint rtpTimestamp, int samples, int sampleRate)
    {
        var ticks = (uint)((long)samples * ClockRate / sampleRate);
        if (!_started)
        {
            _started = true;
            _next = rtpTimestamp + ticks;
            return 0;
        }

        var delta = unchecked((int)(rtpTimestamp - _next)); // RFC 3550 timestamps wrap: compare as a signed difference
        if (delta < 0 && delta > -ClockRate)
        {
            return -1;
        }

        _next = rtpTimestamp + ticks;
        if (delta > 0 && delta <= ClockRate)
        {
            return (int)((long)delta * sampleRate / ClockRate);
        }

        return 0; // in step, or a jump (a new source, a resynchronisation) that the timeline simply follows
    }
}
