using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Rtcp;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <content>The RTCP companion: snapshots of the counters RTCP reports, and its lifetime tied to this session.</content>
public sealed partial class RtpSession : IRtcpMediaStream
{
    private long _sentOctets;
    private RtcpSession? _rtcp;

    /// <summary>The RTCP session on port + 1, once <see cref="StartRtcp"/> ran and the lease had an RTCP socket.</summary>
    public RtcpSession? Rtcp => _rtcp;

    /// <inheritdoc />
    int IRtcpMediaStream.ClockRate => _codec.ClockRate;

    /// <summary>
    /// Starts sending and receiving RTCP on the lease's second socket (RFC 3550 §11: RTP port + 1); a no-op when the
    /// lease has none. The RTCP session ends, with a BYE, when this session is disposed.
    /// </summary>
    public void StartRtcp(ILogger<RtcpSession>? logger = null, TimeSpan? reportInterval = null)
    {
        if (_lease.RtcpSocket is null || _rtcp is not null)
        {
            return;
        }

        _rtcp = new RtcpSession(_lease.RtcpSocket, this, logger, _timeProvider, reportInterval, _srtp);
        _rtcp.Start();
    }

    /// <inheritdoc />
    RtpReceptionSnapshot IRtcpMediaStream.GetReceptionSnapshot()
    {
        lock (_receiveGate)
        {
            return new RtpReceptionSnapshot(
                _ssrc.HasValue && _sequence.Received > 0,
                _ssrc.GetValueOrDefault(),
                _sequence.ExtendedHighestSequence,
                _sequence.Expected,
                _sequence.Received,
                _sequence.Jitter);
        }
    }

    /// <inheritdoc />
    RtpSenderSnapshot IRtcpMediaStream.GetSenderSnapshot()
    {
        lock (_sendGate)
        {
            return new RtpSenderSnapshot(_sent, _sentOctets, _sendTimestamp);
        }
    }
}
