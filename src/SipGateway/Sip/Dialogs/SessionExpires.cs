using System.Globalization;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>Session-Expires / Min-SE values (RFC 4028 §4, §5): delta-seconds with an optional refresher parameter.</summary>
public static class SessionExpires
{
    public const string MinSeHeader = "Min-SE";
    public const string OptionTag = "timer";
    public const string Uac = "uac";
    public const string Uas = "uas";

    /// <summary>Reads "1800;refresher=uac". Refresher is null when absent or not uac/uas.</summary>
    public static bool TryParse(string? value, out int seconds, out string? refresher)
    {
        seconds = 0;
        refresher = null;
        if (value is null)
        {
            return false;
        }

        var span = value.AsSpan();
        var semicolon = span.IndexOf(';');
        var delta = (semicolon < 0 ? span : span[..semicolon]).Trim();
        if (!int.TryParse(delta, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds <= 0)
        {
            seconds = 0;
            return false;
        }

        var parameters = semicolon < 0 ? [] : span[(semicolon + 1)..];
        foreach (var range in parameters.Split(';'))
        {
            var p = parameters[range].Trim();
            var equals = p.IndexOf('=');
            if (equals > 0 && p[..equals].Trim().Equals("refresher", StringComparison.OrdinalIgnoreCase))
            {
                var who = p[(equals + 1)..].Trim();
                refresher = who.Equals(Uac, StringComparison.OrdinalIgnoreCase) ? Uac
                    : who.Equals(Uas, StringComparison.OrdinalIgnoreCase) ? Uas : null;
            }
        }

        return true;
    }

    /// <summary>True when a list header (Supported, Require, Allow) names <paramref name="token"/>.</summary>
    public static bool ListContains(IReadOnlyList<string> values, string token)
    {
        foreach (var value in values)
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                if (value.AsSpan()[range].Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
