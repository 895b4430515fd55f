using System.Text;

namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>Compares called numbers the way people write them: <c>+1 555-0100</c>, <c>15550100</c> and <c>sip:+15550100@host</c> are one DID.</summary>
internal static class DidMatcher
{
    public static string Normalize(string number)
    {
        var text = number.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (text.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("sips:", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[(colon + 1)..];
            var end = text.IndexOfAny(['@', ';', '?', '>']);
            text = end >= 0 ? text[..end] : text;
        }

        var normalized = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is not ('+' or ' ' or '-' or '(' or ')'))
            {
                normalized.Append(c);
            }
        }

        return normalized.ToString();
    }

    /// <summary>Whether route <paramref name="did"/> (exact, or a prefix ending in <c>*</c>) matches the normalized called number.</summary>
    public static bool Matches(string did, string normalizedCalled)
    {
        if (did.EndsWith('*'))
        {
            return normalizedCalled.StartsWith(Normalize(did[..^1]), StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(Normalize(did), normalizedCalled, StringComparison.OrdinalIgnoreCase);
    }
}
