namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>Wallclock time in the 64-bit NTP format RTCP uses (RFC 3550 §4): seconds since 1900 and a binary fraction.</summary>
public static class NtpTime
{
    private static readonly DateTimeOffset Epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Converts a wallclock time to NTP format (the seconds wrap in 2036, as NTP's era 0 does).</summary>
    public static ulong FromDateTime(DateTimeOffset time)
    {
        long ticks = (time - Epoch).Ticks;
        ulong seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        ulong fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return unchecked((seconds << 32) | fraction);
    }

    /// <summary>The middle 32 bits (16.16 seconds), the form of LSR and of the arrival time in §6.4.1's RTT formula.</summary>
    public static uint ToCompact(ulong ntp) => (uint)(ntp >> 16);

    /// <summary>A duration in the 1/65536 s units of DLSR and of the compact NTP format.</summary>
    public static uint ToCompactDuration(TimeSpan duration) =>
        (uint)Math.Clamp(duration.Ticks * 65536 / TimeSpan.TicksPerSecond, 0, uint.MaxValue);

    /// <summary>
    /// Round-trip time from a reception report (RFC 3550 §6.4.1): arrival time A minus LSR minus DLSR, all in compact
    /// NTP units. Null when the report carries no LSR (the peer has not received our SR yet) or the result is negative
    /// (clock steps or a corrupt report).
    /// </summary>
    public static TimeSpan? RoundTrip(uint arrivalCompact, uint lastSenderReport, uint delaySinceLastSenderReport)
    {
        if (lastSenderReport == 0)
        {
            return null;
        }

        int rtt = unchecked((int)(arrivalCompact - lastSenderReport - delaySinceLastSenderReport));
        return rtt < 0 ? null : TimeSpan.FromTicks(rtt * TimeSpan.TicksPerSecond / 65536);
    }
}
