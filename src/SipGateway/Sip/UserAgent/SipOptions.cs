using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>Configuration of the SIP user-agent server (bind as section "Sip").</summary>
public sealed class SipOptions
{
    /// <summary>Address to bind; "0.0.0.0" for all IPv4 interfaces.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>UDP port; 0 lets the OS choose (tests).</summary>
    public int Port { get; set; } = 5060;

    /// <summary>
    /// Address advertised in Contact, Via and SDP c= (set it when behind NAT). Default: the bound address, or the first
    /// non-loopback IPv4 address when bound to a wildcard.
    /// </summary>
    public string? PublicAddress { get; set; }

    /// <summary>RTT estimate, RFC 3261 §17.1.1.1 (default 500 ms).</summary>
    public TimeSpan T1 { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Maximum retransmit interval, RFC 3261 §17.1.2.2 (default 4 s).</summary>
    public TimeSpan T2 { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>How long the network may keep a message, RFC 3261 §17.1.2.2 (default 5 s); Timer I over UDP.</summary>
    public TimeSpan T4 { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// SO_RCVBUF of the SIP UDP socket (default 4 MiB): the Linux default of about 212 KB overflows within
    /// milliseconds of a flood or a burst of call setups. The kernel caps it at net.core.rmem_max; 0 keeps the default.
    /// </summary>
    public int UdpReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Value of the User-Agent/Server headers.</summary>
    public string UserAgent { get; set; } = "StepAudio.Telephony/0.1";

    /// <summary>SIP over TCP on the same port (section "Sip:Tcp"; on by default).</summary>
    public TcpTransportOptions Tcp { get; set; } = new();

    /// <summary>SIP over TLS on its own port (section "Sip:Tls"; off by default: it needs a certificate).</summary>
    public TlsTransportOptions Tls { get; set; } = new();

    /// <summary>SRTP policy for incoming calls (section "Sip:Srtp"; SDES keys, RFC 4568).</summary>
    public SrtpOptions Srtp { get; set; } = new();

    /// <summary>
    /// Enabled audio codecs in order of preference, comma-separated: any of PCMU, PCMA, G722 (see
    /// <see cref="Sdp.AudioCodecPreferences"/>). Answers accept only these; G.722 is off unless listed.
    /// </summary>
    public string Codecs { get; set; } = Sdp.AudioCodecPreferences.DefaultNames;

    /// <summary>Dialogs plus INVITEs being decided; further INVITEs get 503.</summary>
    public int MaxDialogs { get; set; } = 500;

    /// <summary>
    /// Our Min-SE (RFC 4028 §5): a smaller Session-Expires is refused with 422. The RFC floor is 90 s; lower values are
    /// for tests only.
    /// </summary>
    public TimeSpan MinSessionExpires { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How long a transfer (REFER) may take, from sending REFER to the final sipfrag NOTIFY (default 60 s).</summary>
    public TimeSpan TransferTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
