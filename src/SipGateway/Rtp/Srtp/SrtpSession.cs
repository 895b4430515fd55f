namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// The four transforms of one secured call (RFC 3711 §3.2: a crypto context per direction and per protocol): RTP and
/// RTCP out under our key, RTP and RTCP in under the peer's.
/// </summary>
public sealed class SrtpSession : IDisposable
{
    public SrtpSession(SrtpKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        RtpOut = new SrtpTransform(keys.Local);
        RtpIn = new SrtpTransform(keys.Remote);
        RtcpOut = new SrtcpTransform(keys.Local);
        RtcpIn = new SrtcpTransform(keys.Remote);
    }

    public SrtpTransform RtpOut { get; }

    public SrtpTransform RtpIn { get; }

    public SrtcpTransform RtcpOut { get; }

    public SrtcpTransform RtcpIn { get; }

    public void Dispose()
    {
        RtpOut.Dispose();
        RtpIn.Dispose();
        RtcpOut.Dispose();
        RtcpIn.Dispose();
    }
}
