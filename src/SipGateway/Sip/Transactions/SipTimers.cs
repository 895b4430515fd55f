namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>Transaction timer base values (RFC 3261 §17.1.1.1 and Table 4): T1 RTT estimate, T2 cap, T4 network lifetime.</summary>
public sealed record SipTimers(TimeSpan T1, TimeSpan T2, TimeSpan T4)
{
    /// <summary>The RFC defaults: T1 500 ms, T2 4 s, T4 5 s.</summary>
    public static SipTimers Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));

    /// <summary>Timer F: the non-INVITE transaction timeout, 64*T1.</summary>
    public TimeSpan TimerF => T1 * 64;
}
