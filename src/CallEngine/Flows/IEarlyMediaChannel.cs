namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>
/// Where a call's early media goes before the answer: a 183 Session Progress and the call's RTP in the gateway, the
/// virtual clock in <c>simulate</c>. <see cref="EarlyMediaPlayer"/> decides what is played, and when, for both.
/// </summary>
public interface IEarlyMediaChannel
{
    /// <summary>Whether early media can be sent at all (a SIP INVITE without an offer has nothing for a 183 to answer).</summary>
    bool IsAvailable { get; }

    /// <summary>Opens the early media for an announcement of <paramref name="length"/>; false when the call is over already.</summary>
    bool Open(TimeSpan length);

    /// <summary>Plays 8 kHz audio; returns when it has played, throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    Task PlayAsync(ReadOnlyMemory<short> pcm8k, CancellationToken cancellationToken);
}
