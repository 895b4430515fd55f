using System.Security.Cryptography;

namespace StepAudio.Telephony.Analytics.Publishing;

/// <summary>
/// Exponential backoff with "equal jitter": half the capped delay is fixed, half random, so many gateways
/// that lost the same broker do not reconnect in lock-step, yet each still waits a minimum.
/// </summary>
internal static class RetryBackoff
{
    public static TimeSpan Delay(int failedAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var exponent = Math.Min(failedAttempts - 1, 30);
        var capped = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        var half = capped / 2;
        // Not security relevant; RandomNumberGenerator only keeps the analyzers quiet at no real cost on this path.
        var jitter = half * RandomNumberGenerator.GetInt32(0, 1001) / 1000.0;
        return TimeSpan.FromMilliseconds(half + jitter);
    }
}
