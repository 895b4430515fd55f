using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Dtmf;

/// <summary>
/// Sends key presses as RFC 4733 telephone-events on an <see cref="RtpSession"/>'s SSRC and sequence space: the first
/// packet with the marker bit (§2.5.1.1), an update every 50 ms with the growing duration (§2.5.1.2) and three
/// identical end packets (§2.5.1.4), all with the
/// event's start timestamp. The caller keeps audio paused meanwhile; afterwards the audio clock resumes past the event.
/// </summary>
public sealed class TelephoneEventSender(RtpSession session, TimeProvider? time = null)
{
    /// <summary>Interval between updates of one event.</summary>
    public static readonly TimeSpan UpdateInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Copies of the final packet, so that one loss does not lose the end (§2.5.1.4).</summary>
    public const int EndPacketCopies = 3;

    private const int ClockRate = 8000;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>How long each key of <see cref="SendDigitsAsync"/> is held: 100 ms, well above the 40 ms receivers must detect (ITU-T Q.24).</summary>
    public static readonly TimeSpan KeyLength = TimeSpan.FromMilliseconds(100);

    /// <summary>The pause between the keys of <see cref="SendDigitsAsync"/>: 70 ms, above Q.24's 40 ms minimum.</summary>
    public static readonly TimeSpan KeyGap = TimeSpan.FromMilliseconds(70);

    /// <summary>Sends <paramref name="digits"/> one after the other, each held <see cref="KeyLength"/>, <see cref="KeyGap"/> apart.</summary>
    /// <exception cref="ArgumentException">A character is not a DTMF key (nothing was sent).</exception>
    /// <exception cref="InvalidOperationException">No telephone-event payload type was negotiated.</exception>
    public async Task SendDigitsAsync(string digits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.FirstOrDefault(d => !DtmfEvents.TryGetEvent(d, out _)) is var bad && bad != default)
        {
            throw new ArgumentException($"'{bad}' is not a DTMF key.", nameof(digits));
        }

        for (var i = 0; i < digits.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await SendAsync(digits[i], KeyLength, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (i < digits.Length - 1)
            {
                // Silence between keys: the receiver sees separate presses, and the audio clock keeps running (§2.5.1.1:
                // the next event starts at the timestamp it would have had).
                await Task.Delay(KeyGap, _time, cancellationToken).ConfigureAwait(false);
                session.AdvanceSendTimestamp((uint)(KeyGap.TotalSeconds * ClockRate));
            }
        }
    }

    /// <summary>Sends one key press of <paramref name="duration"/> (at least one update interval).</summary>
    /// <param name="digit">0–9, *, #, A–D.</param>
    /// <param name="duration">How long the key is held.</param>
    /// <param name="volume">Power level in -dBm0, 0–63 (§2.3.4).</param>
    /// <param name="cancellationToken">Stops between packets; the event then ends early with its end packets.</param>
    /// <exception cref="ArgumentException"><paramref name="digit"/> is not a DTMF key.</exception>
    /// <exception cref="InvalidOperationException">No telephone-event payload type was negotiated.</exception>
    public async Task SendAsync(char digit, TimeSpan duration, int volume = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!DtmfEvents.TryGetEvent(digit, out byte code))
        {
            throw new ArgumentException($"'{digit}' is not a DTMF key.", nameof(digit));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(volume);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(volume, 63);
        int payloadType = session.TelephoneEventPayloadType
            ?? throw new InvalidOperationException("The peer did not negotiate telephone-event.");

        // §2.5.1.3 would split events longer than the 16-bit duration; key presses never come near 8 s.
        int total = (int)Math.Clamp(duration.Ticks * ClockRate / TimeSpan.TicksPerSecond, UpdateInterval.TotalSeconds * ClockRate, ushort.MaxValue);
        uint timestamp = session.NextSendTimestamp;
        var payload = new byte[TelephoneEventPayload.Length];
        int elapsed = 0;
        Send(new TelephoneEventPayload(code, false, (byte)volume, 0), marker: true);
        while (elapsed < total && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(UpdateInterval, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            elapsed = Math.Min(total, elapsed + (int)(UpdateInterval.TotalSeconds * ClockRate));
            if (elapsed < total)
            {
                Send(new TelephoneEventPayload(code, false, (byte)volume, (ushort)elapsed), marker: false);
            }
        }

        for (int copy = 0; copy < EndPacketCopies; copy++)
        {
            // The audio clock moves on with the last copy only, so all three carry the same timestamp.
            Send(new TelephoneEventPayload(code, true, (byte)volume, (ushort)elapsed), marker: false, advance: copy == EndPacketCopies - 1 ? (uint)elapsed : 0);
        }

        void Send(TelephoneEventPayload block, bool marker, uint advance = 0)
        {
            block.Write(payload);
            if (session.SendPayload(payloadType, marker, timestamp, payload, advance))
            {
                DtmfMetrics.PacketsSent.Add(1);
            }
        }
    }
}
