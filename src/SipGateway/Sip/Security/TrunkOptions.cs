namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>One carrier trunk allowed to send requests to the gateway (an element of "SipSecurity:Trunks").</summary>
public sealed class TrunkOptions
{
    /// <summary>Name used in logs and metrics.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Signalling addresses of the trunk: single addresses or CIDR ranges, IPv4 or IPv6 ("192.0.2.0/24").</summary>
    public IList<string> Addresses { get; } = [];

    /// <summary>
    /// Digest user name a source outside <see cref="Addresses"/> may authenticate with (RFC 3261 §22.2); no digest
    /// authentication for this trunk when null or empty.
    /// </summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Protection space of the credentials (RFC 3261 §22.1); <see cref="SipSecurityOptions.DefaultRealm"/> when null.</summary>
    public string? Realm { get; set; }
}
