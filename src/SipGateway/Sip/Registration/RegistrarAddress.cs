using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Registration;

/// <summary>A registrar's host and port from configuration, resolved to an address when a REGISTER is sent.</summary>
public sealed record RegistrarAddress(string Host, int Port)
{
    private const int DefaultSipPort = 5060;

    public static bool TryParse(string text, [NotNullWhen(true)] out RegistrarAddress? address)
    {
        address = null;
        if (!SipUri.TryParseHostPort(text.AsSpan().Trim(), out var host, out var port))
        {
            return false;
        }

        address = new RegistrarAddress(host, port ?? DefaultSipPort);
        return true;
    }

    /// <summary>
    /// Resolves the host, preferring IPv4 because the gateway's socket is usually IPv4. Re-resolved per attempt so a
    /// trunk that moves is followed. RFC 3263 (NAPTR/SRV) is not implemented.
    /// </summary>
    public async Task<IPEndPoint?> ResolveAsync(CancellationToken cancellationToken)
    {
        var literal = Host.Trim('[', ']');
        if (IPAddress.TryParse(literal, out var address))
        {
            return new IPEndPoint(address, Port);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(Host, cancellationToken);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return chosen is null ? null : new IPEndPoint(chosen, Port);
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
