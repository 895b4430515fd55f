using StepAudio.Telephony.SipGateway.Dtmf;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <content>RFC 4733 telephone-events: the receive hook and the send path the <see cref="TelephoneEventSender"/> uses.</content>
public sealed partial class RtpSession
{
    private TelephoneEventReceiver? _telephoneEventReceiver;

    /// <summary>
    /// Reports the peer's RFC 4733 key presses to <paramref name="sink"/>; a no-op when no telephone-event payload type
    /// was negotiated. Call before <see cref="Start"/>.
    /// </summary>
    public void ReceiveTelephoneEvents(IDtmfSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_telephoneEventPayloadType is not null)
        {
            // RFC 4733 §7.1.1: telephone-event normally runs at the audio clock; 8000 for every codec offered here.
            _telephoneEventReceiver = new TelephoneEventReceiver(sink, 8000, _timeProvider);
        }
    }

    /// <summary>The negotiated telephone-event payload type, if any.</summary>
    public int? TelephoneEventPayloadType => _telephoneEventPayloadType;

    /// <summary>The RTP timestamp the next audio frame would carry: an event starting now takes it (RFC 4733 §2.5.1.1).</summary>
    internal uint NextSendTimestamp
    {
        get
        {
            lock (_sendGate)
            {
                return _sendTimestamp;
            }
        }
    }

    /// <summary>Moves the audio clock on by <paramref name="samples"/> without sending (a pause between events).</summary>
    internal void AdvanceSendTimestamp(uint samples)
    {
        lock (_sendGate)
        {
            _sendTimestamp += samples;
        }
    }

    /// <summary>
    /// Sends one non-audio payload on this session's SSRC and sequence space with an explicit timestamp
    /// (RFC 4733 packets repeat the event's start timestamp).
    /// </summary>
    /// <param name="advanceTimestamp">Samples to move the audio clock on afterwards, so audio resumes after the event.</param>
    internal bool SendPayload(int payloadType, bool marker, uint timestamp, ReadOnlySpan<byte> payload, uint advanceTimestamp = 0)
    {
        lock (_sendGate)
        {
            int length = RtpPacketWriter.Write(_sendBuffer, marker, payloadType, _sendSequence, timestamp, _sendSsrc, payload);
            _sendSequence++;
            _sendTimestamp += advanceTimestamp;
            var target = _sendTarget;
            if (target.IsUnspecified || _sendSuspended)
            {
                return false;
            }

            try
            {
                _socket.SendTo(_sendBuffer.AsSpan(0, Secure(length)), System.Net.Sockets.SocketFlags.None, target.Address);
                _sent++;
                RtpMetrics.PacketsSent.Add(1);
                return true;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                _sendErrors++;
                return false;
            }
        }
    }
}
