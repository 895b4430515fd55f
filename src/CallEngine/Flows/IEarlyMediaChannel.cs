namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>
/// Where a call's early media goes before the answer: a 183 Session Progress and the call's RTP in the gateway, the
/// virtual clock in <c>simulate</c>. <see cref="EarlyMediaPlayer"/> decides what is played, and when, for both.
/// </summary>
public interface IEarlyMediaChannel
{
    /// <summary>
    /// Whether early media can be sent at all (a SIP INVITE without an offer from a caller without 100rel: our offer could
    /// only go in a reliable 183, RFC 3262 §5).
    /// </summary>
    bool IsAvailable { get; }

    /// <summary>Opens the early media for an announcement of <paramref name="length"/>; false when the call is over already.</summary>
    bool Open(TimeSpan length);

    /// <summary>
    /// Completes with true once audio played from now on reaches the caller: at once, unless the offer was ours (a SIP
    /// INVITE without one) and its answer, the caller's address, comes later in the PRACK (RFC 3262 §5); false when the
    /// call ended first. Throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    Task<bool> WhenAnsweredAsync(CancellationToken cancellationToken);

    /// <summary>Plays 8 kHz audio; returns when it has played, throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    Task PlayAsync(ReadOnlyMemory<short> pcm8k, CancellationToken cancellationToken);
}
