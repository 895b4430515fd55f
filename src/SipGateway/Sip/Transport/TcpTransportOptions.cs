namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>SIP over TCP (bind as section "Sip:Tcp"). It listens on the same port number as UDP (RFC 3261 §18).</summary>
public sealed class TcpTransportOptions
{
    /// <summary>Whether to listen on TCP as well as UDP (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Open connections, accepted and opened by us together; further ones are closed at once.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>
    /// Largest start line plus header block. Real SIP headers are a few KB; the limit is what one connection may make
    /// the gateway buffer before it has seen a complete header.
    /// </summary>
    public int MaxHeaderBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Largest whole message (headers and body). Worst-case buffering is MaxConnections times this, so it is kept well
    /// below the 1 MB a body attack would like: 256 KB x 1000 connections = 256 MB at most.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>A connection that sends nothing (not even a CRLF keep-alive) for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A send that cannot complete in this time (the peer stopped reading) closes the connection.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed to open a connection to a peer whose connection is gone (RFC 3261 §18.2.2).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws on values that would make the transport unusable.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderBytes, 256);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, MaxHeaderBytes);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SendTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero);
    }
}
