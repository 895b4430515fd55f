namespace StepAudio.Telephony.Analytics.Service.Aggregates;

/// <summary>
/// Hides the caller's number on the live page: a dashboard needs to tell calls apart, not to dial them back.
/// Only the last four characters of the SIP URI's user part are kept (RFC 3261 §19.1.1: sip:user@host).
/// </summary>
internal static class CallerMask
{
    private const int Visible = 4;
    private static readonly string[] Schemes = ["sips:", "sip:", "tel:"];

    public static string Mask(string? from)
    {
        if (string.IsNullOrWhiteSpace(from))
        {
            return string.Empty;
        }

        var user = from.AsSpan().Trim();
        foreach (var scheme in Schemes)
        {
            if (user.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                user = user[scheme.Length..];
                break;
            }
        }

        var at = user.IndexOfAny('@', ';');
        if (at >= 0)
        {
            user = user[..at];
        }

        if (user.Length <= Visible)
        {
            return new string('•', Visible);
        }

        return string.Concat(new string('•', user.Length - Visible), user[^Visible..]);
    }
}
