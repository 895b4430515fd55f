using System.Globalization;
using System.Net;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>Server-side Via processing and response addressing (RFC 3261 §18.2.1/§18.2.2, RFC 3581).</summary>
public static class SipResponseRouter
{
    private const int DefaultSipPort = 5060;

    /// <summary>
    /// Adds received= when the sent-by host is not the packet's source address (RFC 3261 §18.2.1) and fills an empty
    /// rport with the source port, which also forces received= (RFC 3581 §4). Updates the header entry so responses
    /// copy the stamped Via.
    /// </summary>
    public static void StampTopVia(SipRequest request, IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(source);
        var via = request.TopVia;
        var index = request.Headers.IndexOf(SipHeaderId.Via);
        if (via is null || index < 0)
        {
            return;
        }

        var sourceAddress = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        var changed = false;
        var rportRequested = via.HasRport && via.Parameters.Get("rport") is null;
        if (rportRequested)
        {
            via.Parameters.Set("rport", source.Port.ToString(CultureInfo.InvariantCulture));
            changed = true;
        }

        if (rportRequested || !IPAddress.TryParse(via.Host.Trim('[', ']'), out var sentBy) || !sentBy.Equals(sourceAddress))
        {
            via.Parameters.Set("received", sourceAddress.ToString());
            changed = true;
        }

        if (changed)
        {
            request.Headers.Replace(index, SipHeader.Create(SipHeaderId.Via, via.ToString()));
        }
    }

    /// <summary>Where a response to a request with this (stamped) top Via goes, for an unreliable transport.</summary>
    public static IPEndPoint ResolveDestination(ViaHeader topVia, IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(topVia);
        ArgumentNullException.ThrowIfNull(source);

        // RFC 3581 §4: with rport filled in, reply to the source address and port.
        if (topVia.RportValue is { } rport)
        {
            return new IPEndPoint(ParseOr(topVia.Received, source.Address), rport);
        }

        var port = topVia.Port ?? DefaultSipPort;
        if (topVia.Received is { } received)
        {
            return new IPEndPoint(ParseOr(received, source.Address), port);
        }

        // RFC 3261 §18.2.2 would resolve a sent-by domain name with RFC 3263; StampTopVia has already set received=
        // for every non-literal sent-by, so reaching here means sent-by is the source address itself.
        return new IPEndPoint(ParseOr(topVia.Host.Trim('[', ']'), source.Address), port);
    }

    /// <summary>
    /// Where a response goes, for any transport. On a stream transport it is the request's own connection; the
    /// address beside it is the fallback when that connection has closed: the received address and the sent-by port
    /// (RFC 3261 §18.2.2).
    /// </summary>
    public static SipEndPoint ResolveDestination(ViaHeader topVia, SipEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(topVia);
        if (source.Protocol == SipTransportProtocol.Udp)
        {
            return source with { Address = ResolveDestination(topVia, source.Address) };
        }

        var address = ParseOr(topVia.Received, ParseOr(topVia.Host.Trim('[', ']'), source.Address.Address));
        return source with { Address = new IPEndPoint(address, topVia.Port ?? DefaultSipPort) };
    }

    private static IPAddress ParseOr(string? text, IPAddress fallback) =>
        text is not null && IPAddress.TryParse(text, out var address) ? address : fallback;
}
