namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// Plays a PCM buffer through an <see cref="IRtpAudioSender"/> at real-time pace: frame n is sent at
/// start + n × 20 ms (absolute deadlines, so timer lateness never accumulates into drift).
/// </summary>
public sealed class RtpAudioPlayer
{
    /// <summary>The packetisation interval (RFC 3551 §4.5 default for G.711).</summary>
    public static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// When the sender falls further behind than this (e.g. a stalled thread), the schedule is moved rather than
    /// bursting the backlog, which would overflow the far end's jitter buffer.
    /// </summary>
    public static readonly TimeSpan MaxLag = TimeSpan.FromMilliseconds(100);

    private readonly IRtpAudioSender _sender;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a player for one sender (usually an <see cref="RtpSession"/>).</summary>
    public RtpAudioPlayer(IRtpAudioSender sender, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        _sender = sender;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Sends <paramref name="pcm8k"/> as 160-sample frames, the first with the marker bit (start of a talkspurt,
    /// RFC 3551 §4.1); a short last frame is padded with silence. Play one buffer at a time per session.
    /// </summary>
    /// <returns>Completes after the last frame was sent.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task PlayAsync(ReadOnlyMemory<short> pcm8k, CancellationToken cancellationToken = default)
    {
        int frameCount = (pcm8k.Length + RtpSession.SamplesPerFrame - 1) / RtpSession.SamplesPerFrame;
        var pacer = new FramePacer(_timeProvider);
        pacer.Restart();
        for (int n = 0; n < frameCount; n++)
        {
            await pacer.WaitAsync(cancellationToken);
            SendFrame(_sender, pcm8k.Span, n, marker: n == 0);
        }
    }

    /// <summary>Sends the <paramref name="index"/>th 160-sample frame of <paramref name="pcm8k"/>, padding a short last one.</summary>
    internal static void SendFrame(IRtpAudioSender sender, ReadOnlySpan<short> pcm8k, int index, bool marker)
    {
        int offset = index * RtpSession.SamplesPerFrame;
        int available = Math.Min(RtpSession.SamplesPerFrame, pcm8k.Length - offset);
        var frame = pcm8k.Slice(offset, available);
        if (available < RtpSession.SamplesPerFrame)
        {
            Span<short> padded = stackalloc short[RtpSession.SamplesPerFrame];
            frame.CopyTo(padded);
            sender.SendAudio(padded, marker);
            return;
        }

        sender.SendAudio(frame, marker);
    }
}
