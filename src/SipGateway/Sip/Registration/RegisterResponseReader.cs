using System.Globalization;
using StepAudio.Telephony.SipGateway.Sip.Authentication;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Registration;

/// <summary>Reads what a registrar's responses tell the client (RFC 3261 §10.2.4, §10.3, §21.4.17, §22).</summary>
public static class RegisterResponseReader
{
    /// <summary>
    /// The interval the registrar granted to <paramref name="ourContact"/>: the expires parameter of the matching
    /// Contact in the 2xx (which lists all bindings of the AOR), else the Expires header, else what we asked for.
    /// Contacts are compared as SIP URIs on user, host and port (RFC 3261 §19.1.4, simplified).
    /// </summary>
    public static int GrantedExpires(SipResponse response, string ourContact, int requested)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(ourContact);
        if (NameAddress.TryParse(ourContact, out var ours) && SipUri.TryParse(ours.Uri, out var ourUri))
        {
            foreach (var value in response.Headers.GetAll(SipHeaderId.Contact))
            {
                if (NameAddress.TryParse(value, out var contact) && SipUri.TryParse(contact.Uri, out var uri) && SameBinding(uri, ourUri)
                    && TryParseSeconds(contact.Parameters.Get("expires"), out var granted))
                {
                    return granted;
                }
            }
        }

        return TryParseSeconds(response.Headers.GetFirst("Expires"), out var header) ? header : requested;
    }

    /// <summary>Min-Expires of a 423 (RFC 3261 §10.3 step 7, §20.23); null when absent or invalid.</summary>
    public static int? MinExpires(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return TryParseSeconds(response.Headers.GetFirst("Min-Expires"), out var seconds) ? seconds : null;
    }

    /// <summary>
    /// Usable Digest challenges of a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate), from every header instance
    /// (RFC 3261 §22.3 allows several, e.g. one per algorithm).
    /// </summary>
    public static List<DigestChallenge> Challenges(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var name = response.StatusCode == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
        var challenges = new List<DigestChallenge>();
        foreach (var header in response.Headers)
        {
            if (header.Id == SipHeaderId.Unknown && header.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                DigestChallengeParser.Parse(header.GetValueString(), challenges);
            }
        }

        return challenges;
    }

    private static bool SameBinding(SipUri a, SipUri b) =>
        string.Equals(a.User, b.User, StringComparison.Ordinal)
        && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
        && (a.Port ?? 5060) == (b.Port ?? 5060);

    private static bool TryParseSeconds(string? text, out int seconds)
    {
        // delta-seconds (RFC 3261 §25.1); values beyond int range are clamped rather than rejected.
        seconds = 0;
        if (text is null || !ulong.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        seconds = value > int.MaxValue ? int.MaxValue : (int)value;
        return true;
    }
}
