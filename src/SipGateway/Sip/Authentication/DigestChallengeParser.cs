using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Authentication;

/// <summary>
/// Parses challenge header values: auth-scheme 1*SP auth-param *("," auth-param), where a value is a token or a
/// quoted-string with backslash escapes (RFC 3261 §25.1, RFC 7235 §2.1). One value may hold several challenges
/// separated by commas; a new one starts where a bare token (the scheme) is followed by whitespace instead of "=".
/// Non-Digest schemes, unknown algorithms and challenges without realm or nonce are skipped, never thrown on.
/// </summary>
public static class DigestChallengeParser
{
    /// <summary>Adds every usable Digest challenge in <paramref name="headerValue"/> to <paramref name="challenges"/>.</summary>
    public static void Parse(string? headerValue, List<DigestChallenge> challenges)
    {
        ArgumentNullException.ThrowIfNull(challenges);
        if (headerValue is null)
        {
            return;
        }

        var s = headerValue.AsSpan();
        var pos = 0;
        while (pos < s.Length)
        {
            SkipSeparators(s, ref pos);
            if (!ReadToken(s, ref pos, out var scheme))
            {
                return; // garbage: keep what was parsed so far
            }

            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (!ReadParameters(s, ref pos, parameters))
            {
                return;
            }

            if (scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase) && TryCreate(parameters, out var challenge))
            {
                challenges.Add(challenge);
            }
        }
    }

    private static bool TryCreate(Dictionary<string, string> p, out DigestChallenge challenge)
    {
        challenge = null!;
        if (!p.TryGetValue("realm", out var realm) || !p.TryGetValue("nonce", out var nonce) || nonce.Length == 0)
        {
            return false;
        }

        p.TryGetValue("algorithm", out var algorithmToken);
        if (!DigestCalculator.TryParseAlgorithm(algorithmToken, out var algorithm))
        {
            return false; // e.g. SHA-512-256 or AKAv1-MD5: another challenge in the list may be answerable
        }

        var qop = p.TryGetValue("qop", out var qopList)
            ? qopList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];

        // RFC 7616 §3.4: with a qop list we must pick one we support; auth-int alone is not answerable here.
        if (qop.Length > 0 && !qop.Any(q => q.Equals("auth", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        // -sess needs a cnonce, which exists only with qop (RFC 7616 §3.4.2).
        if (algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess && qop.Length == 0)
        {
            return false;
        }

        var stale = p.TryGetValue("stale", out var staleText) && staleText.Equals("true", StringComparison.OrdinalIgnoreCase);
        challenge = new DigestChallenge(realm, nonce, algorithm, qop, p.GetValueOrDefault("opaque"), stale);
        return true;
    }

    /// <summary>Reads auth-params until the end or the start of the next challenge.</summary>
    private static bool ReadParameters(ReadOnlySpan<char> s, ref int pos, Dictionary<string, string> parameters)
    {
        while (true)
        {
            SkipSeparators(s, ref pos);
            if (pos >= s.Length)
            {
                return true;
            }

            var start = pos;
            if (!ReadToken(s, ref pos, out var name))
            {
                return false;
            }

            SkipWhitespace(s, ref pos);
            if (pos >= s.Length || s[pos] != '=')
            {
                // A token not followed by "=" is the next challenge's scheme.
                pos = start;
                return true;
            }

            pos++;
            SkipWhitespace(s, ref pos);
            string value;
            if (pos < s.Length && s[pos] == '"')
            {
                if (!ReadQuoted(s, ref pos, out value))
                {
                    return false;
                }
            }
            else if (ReadToken(s, ref pos, out var token))
            {
                value = token;
            }
            else
            {
                return false;
            }

            parameters.TryAdd(name, value);
        }
    }

    private static bool ReadQuoted(ReadOnlySpan<char> s, ref int pos, out string value)
    {
        value = string.Empty;
        var sb = new StringBuilder();
        for (var i = pos + 1; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                sb.Append(s[++i]); // quoted-pair
            }
            else if (s[i] == '"')
            {
                pos = i + 1;
                value = sb.ToString();
                return true;
            }
            else
            {
                sb.Append(s[i]);
            }
        }

        return false;
    }

    // token chars of RFC 3261 §25.1, plus "/" which appears unquoted in some nonces sent by real servers.
    private static bool ReadToken(ReadOnlySpan<char> s, ref int pos, out string token)
    {
        var start = pos;
        while (pos < s.Length && (Messages.SipGrammar.IsTokenChar(s[pos]) || s[pos] == '/'))
        {
            pos++;
        }

        token = s[start..pos].ToString();
        return pos > start;
    }

    private static void SkipSeparators(ReadOnlySpan<char> s, ref int pos)
    {
        while (pos < s.Length && (s[pos] == ',' || Messages.SipGrammar.IsLws(s[pos])))
        {
            pos++;
        }
    }

    private static void SkipWhitespace(ReadOnlySpan<char> s, ref int pos)
    {
        while (pos < s.Length && Messages.SipGrammar.IsLws(s[pos]))
        {
            pos++;
        }
    }
}
