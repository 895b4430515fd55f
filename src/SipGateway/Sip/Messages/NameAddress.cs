using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>
/// The value of From, To, Contact, Route or Record-Route: [display-name] &lt;URI&gt; or a bare addr-spec, followed by
/// header parameters (RFC 3261 §20.10, §20.20, §20.39).
/// </summary>
public sealed class NameAddress
{
    public NameAddress(string? displayName, string uri, SipParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        DisplayName = displayName;
        Uri = uri;
        Parameters = parameters ?? new SipParameters();
    }

    /// <summary>Display name with quotes removed and quoted-pairs decoded; null when absent.</summary>
    public string? DisplayName { get; }

    /// <summary>The URI text (any scheme); use <see cref="SipUri.TryParse"/> for sip/sips.</summary>
    public string Uri { get; }

    public SipParameters Parameters { get; }

    public string? Tag => Parameters.Get("tag");

    public static bool TryParse(string? text, [NotNullWhen(true)] out NameAddress? value)
    {
        value = null;
        if (text is null)
        {
            return false;
        }

        var s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            return false;
        }

        string? displayName = null;
        string uri;
        ReadOnlySpan<char> rest;
        var pos = 0;
        if (s[0] == '"')
        {
            var end = SipGrammar.FindQuotedStringEnd(s, 0);
            if (end < 0)
            {
                return false; // RFC 4475 §3.1.2.6: unterminated quoted display name
            }

            displayName = UnquoteDisplayName(s[1..end]);
            pos = end + 1;
            while (pos < s.Length && SipGrammar.IsLws(s[pos]))
            {
                pos++;
            }

            if (pos >= s.Length || s[pos] != '<')
            {
                return false;
            }
        }

        var open = s[pos..].IndexOf('<');
        if (open >= 0)
        {
            open += pos;
            if (displayName is null)
            {
                // Unquoted display-name: lenient about the characters (RFC 4475 §3.1.2.15 expects acceptance).
                var dn = s[..open].Trim();
                if (dn.IndexOf('"') >= 0)
                {
                    return false;
                }

                displayName = dn.IsEmpty ? null : dn.ToString();
            }

            var close = s[open..].IndexOf('>');
            if (close < 0)
            {
                return false;
            }

            close += open;
            uri = s[(open + 1)..close].Trim().ToString();
            rest = s[(close + 1)..];
        }
        else
        {
            // addr-spec form: parameters after ';' belong to the header, not the URI (RFC 3261 §20.10).
            var end = 0;
            while (end < s.Length && s[end] != ';' && !SipGrammar.IsLws(s[end]))
            {
                end++;
            }

            uri = s[..end].ToString();
            rest = s[end..];
        }

        if (!HasScheme(uri))
        {
            return false;
        }

        var parameters = new SipParameters();
        if (!SipParameters.TryParse(rest, parameters))
        {
            return false;
        }

        value = new NameAddress(displayName, uri, parameters);
        return true;
    }

    public NameAddress WithTag(string tag)
    {
        var copy = new SipParameters();
        for (var i = 0; i < Parameters.Count; i++)
        {
            copy.Set(Parameters[i].Key, Parameters[i].Value);
        }

        copy.Set("tag", tag);
        return new NameAddress(DisplayName, Uri, copy);
    }

    /// <summary>Serialises in name-addr form, which is always safe for URIs containing ';', ',' or '?'.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (DisplayName is not null)
        {
            sb.Append('"');
            foreach (var c in DisplayName)
            {
                if (c is '"' or '\\')
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }

            sb.Append("\" ");
        }

        sb.Append('<').Append(Uri).Append('>');
        Parameters.AppendTo(sb);
        return sb.ToString();
    }

    private static bool HasScheme(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && char.IsAsciiLetter(uri[0]) && SipGrammar.IsToken(uri.AsSpan(0, colon));
    }

    private static string UnquoteDisplayName(ReadOnlySpan<char> inner)
    {
        if (inner.IndexOf('\\') < 0)
        {
            return inner.ToString();
        }

        var sb = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length)
            {
                i++;
            }

            sb.Append(inner[i]);
        }

        return sb.ToString();
    }
}
