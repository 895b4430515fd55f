using System.Net;
using System.Net.Sockets;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <content>
/// The receive side: one loop per session reads datagrams, validates them (source, RTP header, payload type, SSRC)
/// and pushes audio and comfort noise into the jitter buffer. Nothing here throws out of the loop: bad input is
/// counted and logged at a bounded rate.
/// </content>
public sealed partial class RtpSession
{
    /// <summary>RFC 3551 §6: static payload type of RFC 3389 comfort noise ("CN"), valid whether negotiated or not.</summary>
    public const int ComfortNoisePayloadType = 13;

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[ReceiveBufferSize];
        var source = new SocketAddress(_socket.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, source, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // E.g. ICMP port unreachable surfacing as ConnectionReset; the socket itself stays usable.
                if (ShouldWarn())
                {
                    LogReceiveFailed(_logger, ex, LocalEndPoint);
                }

                await DelayAfterErrorAsync(cancellationToken);
                continue;
            }

            if (!TryUnprotect(buffer.AsSpan(0, length), ref length))
            {
                continue;
            }

            try
            {
                OnDatagram(buffer.AsSpan(0, length), source);
            }
            catch (Exception ex)
            {
                // Defensive: a bug in handling one packet must not end the call's media.
                if (ShouldWarn())
                {
                    LogHandlingFailed(_logger, ex, LocalEndPoint);
                }
            }
        }
    }

    /// <summary>
    /// RFC 3711 §3.3: with SRTP, a packet is played only after its tag verifies and its index is new; forged,
    /// wrong-key, replayed and garbage packets are dropped here, counted, and logged at a bounded rate.
    /// </summary>
    private bool TryUnprotect(Span<byte> datagram, ref int length)
    {
        if (_srtp is null)
        {
            return true;
        }

        var result = _srtp.UnprotectRtp(datagram, out var plainLength);
        if (result == Srtp.SrtpUnprotectResult.Ok)
        {
            length = plainLength;
            return true;
        }

        Srtp.SrtpMetrics.Dropped(result, rtcp: false);
        Interlocked.Increment(ref _srtpDropped);
        if (ShouldWarn())
        {
            LogSrtpDropped(_logger, datagram.Length, LocalEndPoint, result);
        }

        return false;
    }

    private void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source)
    {
        var kind = Classify(datagram, source, out var packet, out bool sourceChanged);
        if (kind == ReceivedKind.None)
        {
            return;
        }

        // Playout has its own lock so the ticker can drain while validation of the next packet runs.
        var now = Now;
        lock (_playoutGate)
        {
            if (sourceChanged)
            {
                // RFC 3550 §8.2: a new SSRC is a new source. Play out what the old one left, then start afresh, so
                // the sink never gets frames of two sources interleaved.
                Drain(TimeSpan.MaxValue);
                _jitterBuffer.Reset();
                _lastPcmLength = 0;
            }

            bool comfortNoise = kind == ReceivedKind.ComfortNoise;
            int duration = comfortNoise ? SamplesPerFrame : packet.Payload.Length;
            if (!_jitterBuffer.Push(packet.SequenceNumber, packet.Timestamp, packet.Payload, duration, now, comfortNoise))
            {
                RtpMetrics.Ignored(RtpMetrics.LateOrDuplicate);
            }

            Drain(now);
        }
    }

    private ReceivedKind Classify(ReadOnlySpan<byte> datagram, SocketAddress source, out RtpPacket packet, out bool sourceChanged)
    {
        packet = default;
        sourceChanged = false;
        lock (_receiveGate)
        {
            if (_latchedAddress is not null && !_latchedAddress.Equals(source))
            {
                // RFC 4961 symmetric RTP: after latching only the peer's address counts; a flood from elsewhere is
                // counted and logged at most once per warning interval, never played.
                _unexpectedSource++;
                RtpMetrics.Ignored(RtpMetrics.UnexpectedSource);
                if (ShouldWarn())
                {
                    LogUnexpectedSource(_logger, datagram.Length, LocalEndPoint);
                }

                return ReceivedKind.None;
            }

            if (!RtpPacket.TryParse(datagram, out packet))
            {
                _invalid++;
                RtpMetrics.PacketsInvalid.Add(1);
                if (ShouldWarn())
                {
                    LogInvalidDatagram(_logger, datagram.Length, LocalEndPoint);
                }

                return ReceivedKind.None;
            }

            bool isAudio = packet.PayloadType == _codec.PayloadType;
            bool isTelephoneEvent = packet.PayloadType == _telephoneEventPayloadType;
            bool isComfortNoise = packet.PayloadType == ComfortNoisePayloadType;
            if (!isAudio && !isTelephoneEvent && !isComfortNoise)
            {
                _wrongPayloadType++;
                RtpMetrics.Ignored(RtpMetrics.WrongPayloadType);
                return ReceivedKind.None;
            }

            if (_latchedAddress is null)
            {
                Latch(source);
            }

            if (_ssrc != packet.Ssrc)
            {
                sourceChanged = _ssrc is not null;
                if (sourceChanged)
                {
                    _sourceChanges++;
                }

                _ssrc = packet.Ssrc;
                _sequence.Reset();
            }

            long now = _timeProvider.GetTimestamp();
            Interlocked.Exchange(ref _lastPacketTimestamp, now);
            _received++;
            RtpMetrics.PacketsReceived.Add(1);
            if (!_sequence.UpdateSequence(packet.SequenceNumber))
            {
                _outOfSequence++;
                RtpMetrics.Ignored(RtpMetrics.OutOfSequence);
                return ReceivedKind.None;
            }

            if (isTelephoneEvent)
            {
                // RFC 4733 events repeat one timestamp per event, so they are kept out of the jitter estimate.
                _telephoneEvents++;
                _telephoneEventReceiver?.OnPacket(packet.Ssrc, packet.Timestamp, packet.Payload);
                RtpMetrics.Ignored(RtpMetrics.TelephoneEvent);
                return ReceivedKind.None;
            }

            if (isComfortNoise)
            {
                // RFC 3389 §4: at least the noise level octet; the spectral octets that may follow are not used.
                _comfortNoisePackets++;
                return packet.Payload.IsEmpty ? ReceivedKind.None : ReceivedKind.ComfortNoise;
            }

            var arrival = _timeProvider.GetElapsedTime(_startTimestamp, now);
            _sequence.UpdateJitter(packet.Timestamp, unchecked((uint)(arrival.Ticks * _codec.ClockRate / TimeSpan.TicksPerSecond)));
            return packet.Payload.IsEmpty ? ReceivedKind.None : ReceivedKind.Audio;
        }
    }

    private void Latch(SocketAddress source)
    {
        var latched = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(latched.Buffer.Span);
        _latchedAddress = latched;
        var endPoint = (IPEndPoint)_sendTarget.EndPoint.Create(latched);
        var previous = _sendTarget.EndPoint;
        _sendTarget = new RtpSendTarget(endPoint, latched);
        if (!endPoint.Equals(previous))
        {
            LogLatched(_logger, LocalEndPoint, endPoint, previous);
        }
    }

    private async Task DelayAfterErrorAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Keeps a persistently failing socket from spinning a core.
            await Task.Delay(TimeSpan.FromMilliseconds(10), _timeProvider, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private enum ReceivedKind
    {
        None,
        Audio,
        ComfortNoise,
    }
}
