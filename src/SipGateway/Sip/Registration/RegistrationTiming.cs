namespace StepAudio.Telephony.SipGateway.Sip.Registration;

/// <summary>When to refresh and when to retry.</summary>
public static class RegistrationTiming
{
    private static readonly TimeSpan MinimumRefresh = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Refresh after half the granted interval. For grants of 120 s and more that is also at least 60 s before expiry,
    /// which covers a whole Timer F (32 s) plus a challenge round-trip; for short grants half the interval still
    /// leaves the other half for retransmissions. Never sooner than 1 s, so that a registrar granting 1 s cannot
    /// make us loop.
    /// </summary>
    public static TimeSpan RefreshDelay(TimeSpan granted) =>
        granted / 2 > MinimumRefresh ? granted / 2 : MinimumRefresh;

    /// <summary>Exponential backoff: doubles the previous delay, capped.</summary>
    public static TimeSpan NextRetryDelay(TimeSpan previous, TimeSpan maximum) =>
        previous * 2 < maximum ? previous * 2 : maximum;
}
