namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>What <see cref="TcpSipFramer"/> found at the start of a stream buffer.</summary>
internal enum TcpFrameKind
{
    /// <summary>Not enough bytes yet; read more.</summary>
    NeedMore,

    /// <summary>A complete message of <see cref="TcpFrame.Length"/> bytes.</summary>
    Message,

    /// <summary>A double-CRLF keep-alive ping (RFC 5626 §3.5.1), answered with one CRLF.</summary>
    Ping,

    /// <summary>Stray CRLFs before a start line, ignored per RFC 3261 §7.5.</summary>
    Skip,

    /// <summary>The stream cannot be framed; answer if possible and close the connection.</summary>
    Error,
}
