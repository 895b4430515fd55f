using System.Diagnostics.CodeAnalysis;
using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Authentication;

namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>The parameters of an Authorization header with the Digest scheme (RFC 3261 §25.1 digest-response).</summary>
public sealed class DigestCredentials
{
    private readonly Dictionary<string, string> _parameters;

    private DigestCredentials(Dictionary<string, string> parameters)
    {
        _parameters = parameters;
    }

    public string? Username => Get("username");

    public string? Realm => Get("realm");

    public string? Nonce => Get("nonce");

    public string? Uri => Get("uri");

    public string? Response => Get("response");

    /// <summary>RFC 7616 §3.4: absent means MD5.</summary>
    public string Algorithm => Get("algorithm") ?? DigestCalculator.GetName(DigestAlgorithm.Md5);

    public string? CNonce => Get("cnonce");

    public string? Qop => Get("qop");

    public string? NonceCount => Get("nc");

    public string? Get(string name) => _parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>Parses "Digest name=value, name="quoted value", ..."; false for other schemes or broken syntax.</summary>
    public static bool TryParse(string? header, [NotNullWhen(true)] out DigestCredentials? credentials)
    {
        credentials = null;
        if (header is null)
        {
            return false;
        }

        var text = header.AsSpan().Trim();
        if (text.Length < 7 || !text.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || text[6] is not (' ' or '\t'))
        {
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pos = 6;
        while (true)
        {
            pos = SkipWhitespace(text, pos);
            if (pos == text.Length)
            {
                break;
            }

            var eq = text[pos..].IndexOf('=');
            if (eq <= 0)
            {
                return false;
            }

            var name = text.Slice(pos, eq).Trim().ToString();
            pos = SkipWhitespace(text, pos + eq + 1);
            string value;
            if (pos < text.Length && text[pos] == '"')
            {
                // quoted-string with quoted-pair escapes (RFC 3261 §25.1).
                var builder = new StringBuilder();
                pos++;
                while (pos < text.Length && text[pos] != '"')
                {
                    if (text[pos] == '\\' && pos + 1 < text.Length)
                    {
                        pos++;
                    }

                    builder.Append(text[pos++]);
                }

                if (pos == text.Length)
                {
                    return false;
                }

                pos++;
                value = builder.ToString();
            }
            else
            {
                var end = text[pos..].IndexOf(',');
                end = end < 0 ? text.Length : pos + end;
                value = text[pos..end].Trim().ToString();
                pos = end;
            }

            if (name.Length == 0 || !parameters.TryAdd(name, value))
            {
                return false;
            }

            pos = SkipWhitespace(text, pos);
            if (pos < text.Length)
            {
                if (text[pos] != ',')
                {
                    return false;
                }

                pos++;
            }
        }

        credentials = new DigestCredentials(parameters);
        return true;
    }

    private static int SkipWhitespace(ReadOnlySpan<char> text, int pos)
    {
        while (pos < text.Length && text[pos] is ' ' or '\t')
        {
            pos++;
        }

        return pos;
    }
}
