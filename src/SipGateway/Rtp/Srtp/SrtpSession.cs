namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// The four transforms of one secured call (RFC 3711 §3.2: a crypto context per direction and per protocol): RTP and
/// RTCP out under our key, RTP and RTCP in under the peer's. When we made the SDES offer (delayed offer, RFC 4568
/// §7.1) our key is known before the peer's: the session starts with the outbound transforms only and drops whatever
/// arrives until <see cref="TryComplete"/> installs the peer's key from its answer; nothing is ever read as plain RTP.
/// </summary>
public sealed class SrtpSession : IDisposable
{
    private readonly SrtpMasterKey _local;
    private readonly Lock _gate = new();
    private volatile SrtpTransform? _rtpIn;
    private volatile SrtcpTransform? _rtcpIn;
    private SrtpMasterKey? _remote;
    private bool _disposed;

    public SrtpSession(SrtpKeys keys)
        : this(keys?.Local ?? throw new ArgumentNullException(nameof(keys)))
    {
        _remote = keys.Remote;
        _rtpIn = new SrtpTransform(keys.Remote);
        _rtcpIn = new SrtcpTransform(keys.Remote);
    }

    private SrtpSession(SrtpMasterKey local)
    {
        _local = local;
        RtpOut = new SrtpTransform(local);
        RtcpOut = new SrtcpTransform(local);
    }

    /// <summary>A session for our SDES offer: protects with <paramref name="local"/>, receives nothing until the answer.</summary>
    public static SrtpSession Offered(SrtpMasterKey local)
    {
        ArgumentNullException.ThrowIfNull(local);
        return new SrtpSession(local);
    }

    public SrtpTransform RtpOut { get; }

    public SrtcpTransform RtcpOut { get; }

    /// <summary>Whether the peer's key is installed (always, unless the session was made for an offer still unanswered).</summary>
    public bool HasRemoteKey => _rtpIn is not null;

    /// <summary>
    /// Installs the peer's key from the answer to our offer. False when <paramref name="keys"/> does not carry the key
    /// we offered, or a different peer key is already installed (no re-keying mid-call); true when it is installed or
    /// was already.
    /// </summary>
    public bool TryComplete(SrtpKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!keys.Local.SameAs(_local))
        {
            return false;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            if (_remote is not null)
            {
                return _remote.SameAs(keys.Remote);
            }

            _remote = keys.Remote;
            _rtcpIn = new SrtcpTransform(keys.Remote);
            _rtpIn = new SrtpTransform(keys.Remote);
            return true;
        }
    }

    /// <summary>Authenticates and decrypts a received SRTP packet in place (RFC 3711 §3.3); <see cref="SrtpUnprotectResult.NoKey"/> before the answer.</summary>
    public SrtpUnprotectResult UnprotectRtp(Span<byte> packet, out int plainLength)
    {
        if (_rtpIn is not { } inbound)
        {
            plainLength = 0;
            return SrtpUnprotectResult.NoKey;
        }

        return inbound.Unprotect(packet, out plainLength);
    }

    /// <summary>Authenticates and decrypts a received SRTCP packet in place (RFC 3711 §3.4); <see cref="SrtpUnprotectResult.NoKey"/> before the answer.</summary>
    public SrtpUnprotectResult UnprotectRtcp(Span<byte> packet, out int plainLength)
    {
        if (_rtcpIn is not { } inbound)
        {
            plainLength = 0;
            return SrtpUnprotectResult.NoKey;
        }

        return inbound.Unprotect(packet, out plainLength);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        RtpOut.Dispose();
        RtcpOut.Dispose();
        _rtpIn?.Dispose();
        _rtcpIn?.Dispose();
    }
}
