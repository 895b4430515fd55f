using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// The SIP extensions (option tags, RFC 3261 §19.2) this user agent implements: what it lists in Supported and what a
/// peer may name in Require. Anything else in Require is refused with 420 Bad Extension (§8.2.2.3).
/// </summary>
internal static class SipExtensions
{
    /// <summary>RFC 3262 §7.1's option tag: reliable provisional responses (RSeq, PRACK).</summary>
    public const string Reliable = "100rel";

    /// <summary>The option tags we implement: session timers (RFC 4028) and reliable provisional responses (RFC 3262).</summary>
    public static readonly IReadOnlyList<string> OptionTags = [SessionExpires.OptionTag, Reliable];

    /// <summary>The value of our Supported header.</summary>
    public static readonly string Supported = string.Join(", ", OptionTags);

    /// <summary>The option tags of the request's Require headers that we do not implement, in order; empty when none.</summary>
    public static List<string> Unsupported(SipRequest request)
    {
        var unsupported = new List<string>();
        foreach (var value in request.Headers.GetAll(SipHeaderId.Require))
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                var tag = value.AsSpan()[range].Trim();
                if (!tag.IsEmpty && !IsImplemented(tag))
                {
                    unsupported.Add(tag.ToString());
                }
            }
        }

        return unsupported;
    }

    /// <summary>RFC 3261 §8.2.2.3: 420 lists each unsupported tag in Unsupported.</summary>
    public static void AddUnsupported(SipHeaders headers, IEnumerable<string> tags)
    {
        foreach (var tag in tags)
        {
            headers.Add(SipHeaderId.Unsupported, tag);
        }
    }

    /// <summary>
    /// RFC 3262 §3/§4: whether the request allows reliable provisional responses (100rel in Supported) or demands
    /// them (in Require).
    /// </summary>
    public static bool AllowsReliableProvisional(SipRequest request) =>
        SessionExpires.ListContains(request.Headers.GetAll(SipHeaderId.Require), Reliable)
        || SessionExpires.ListContains(request.Headers.GetAll(SipHeaderId.Supported), Reliable);

    private static bool IsImplemented(ReadOnlySpan<char> tag)
    {
        foreach (var known in OptionTags)
        {
            if (tag.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
