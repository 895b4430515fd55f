namespace StepAudio.Telephony.SipGateway.Sip.Registration;

/// <summary>One trunk to register with (an element of the "Registrations" configuration array).</summary>
public sealed class TrunkOptions
{
    /// <summary>Name used in logs, metrics and status.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Registrar as host[:port]; the port defaults to 5060. Host names are resolved with A/AAAA (no RFC 3263 SRV).</summary>
    public string Registrar { get; set; } = string.Empty;

    /// <summary>Domain of the address-of-record and the REGISTER Request-URI (RFC 3261 §10.2); default: the registrar host.</summary>
    public string? Domain { get; set; }

    /// <summary>User part of the address-of-record sip:Username@Domain, and of our Contact.</summary>
    public string Username { get; set; } = string.Empty;

    /// <summary>Digest user name when it differs from <see cref="Username"/> (RFC 3261 §22.4).</summary>
    public string? AuthUsername { get; set; }

    /// <summary>Digest password. Set it from the environment (Registrations__0__Password) or a secret store; never logged.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>Requested registration interval in seconds (RFC 3261 §10.2.1.1 suggests 3600 by default).</summary>
    public int Expires { get; set; } = 3600;

    /// <summary>Only "udp" is implemented.</summary>
    public string Transport { get; set; } = "udp";

    /// <summary>First retry delay after a failure; doubles per further failure up to <see cref="MaxRetryInterval"/>.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Cap of the retry backoff.</summary>
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        var label = string.IsNullOrWhiteSpace(Name) ? "(unnamed)" : Name;
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("Registrations: every trunk needs a Name.");
        }

        if (string.IsNullOrWhiteSpace(Registrar) || !RegistrarAddress.TryParse(Registrar, out _))
        {
            throw new ArgumentException($"Registrations[{label}]: Registrar must be host[:port], got '{Registrar}'.");
        }

        if (string.IsNullOrWhiteSpace(Username))
        {
            throw new ArgumentException($"Registrations[{label}]: Username is required.");
        }

        if (Expires < 1)
        {
            throw new ArgumentException($"Registrations[{label}]: Expires must be at least 1 second.");
        }

        if (!Transport.Equals("udp", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Registrations[{label}]: Transport '{Transport}' is not supported (udp only).");
        }

        if (RetryInterval <= TimeSpan.Zero || MaxRetryInterval < RetryInterval)
        {
            throw new ArgumentException($"Registrations[{label}]: need 0 < RetryInterval <= MaxRetryInterval.");
        }
    }
}
