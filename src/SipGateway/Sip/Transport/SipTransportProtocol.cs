namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>The transport a SIP message travelled on; its name is the Via transport token (RFC 3261 §18, §20.42).</summary>
public enum SipTransportProtocol
{
    Udp,
    Tcp,

    /// <summary>TLS over TCP (RFC 3261 §26.2); Via token "TLS".</summary>
    Tls,
}
