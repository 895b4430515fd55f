using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>A sip: or sips: URI (RFC 3261 §19.1). User and parameter values are unescaped; <see cref="ToString"/> returns the original text.</summary>
public sealed class SipUri
{
    private readonly string _original;

    private SipUri(string original, bool secure, string? user, string? password, string host, int? port, SipParameters parameters, string? headers)
    {
        _original = original;
        IsSecure = secure;
        User = user;
        Password = password;
        Host = host;
        Port = port;
        Parameters = parameters;
        Headers = headers;
    }

    public bool IsSecure { get; }

    public string Scheme => IsSecure ? "sips" : "sip";

    public string? User { get; }

    public string? Password { get; }

    /// <summary>Host name, IPv4 address, or IPv6 reference including brackets.</summary>
    public string Host { get; }

    public int? Port { get; }

    public SipParameters Parameters { get; }

    /// <summary>The raw "?hname=hvalue&amp;..." part without the '?', or null.</summary>
    public string? Headers { get; }

    public static SipUri Create(string? user, string host, int? port, bool secure = false)
    {
        ArgumentNullException.ThrowIfNull(host);
        var sb = new StringBuilder(secure ? "sips:" : "sip:");
        if (user is not null)
        {
            sb.Append(user).Append('@');
        }

        sb.Append(host);
        if (port is not null)
        {
            sb.Append(':').Append(port.Value);
        }

        return new SipUri(sb.ToString(), secure, user, null, host, port, new SipParameters(), null);
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out SipUri? uri)
    {
        uri = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var s = text.AsSpan();
        bool secure;
        if (s.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            secure = false;
            s = s[4..];
        }
        else if (s.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        {
            secure = true;
            s = s[5..];
        }
        else
        {
            return false;
        }

        var question = s.IndexOf('?');
        var beforeHeaders = question < 0 ? s : s[..question];
        string? headers = question < 0 ? null : s[(question + 1)..].ToString();

        // The user part may itself contain ';' (RFC 3261 §19.1.1 user-unreserved), so the last '@' ends userinfo.
        string? user = null;
        string? password = null;
        var at = beforeHeaders.LastIndexOf('@');
        var hostPart = beforeHeaders;
        if (at >= 0)
        {
            var userInfo = beforeHeaders[..at];
            if (userInfo.IsEmpty)
            {
                return false;
            }

            var colon = userInfo.IndexOf(':');
            user = SipGrammar.Unescape(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : SipGrammar.Unescape(userInfo[(colon + 1)..]);
            hostPart = beforeHeaders[(at + 1)..];
        }

        var semicolon = hostPart.IndexOf(';');
        var hostPort = semicolon < 0 ? hostPart : hostPart[..semicolon];
        if (!TryParseHostPort(hostPort, out var host, out var port))
        {
            return false;
        }

        var parameters = new SipParameters();
        if (semicolon >= 0 && !TryParseUriParameters(hostPart[semicolon..], parameters))
        {
            return false;
        }

        uri = new SipUri(text, secure, user, password, host, port, parameters, headers);
        return true;
    }

    public override string ToString() => _original;

    internal static bool TryParseHostPort(ReadOnlySpan<char> s, [NotNullWhen(true)] out string? host, out int? port)
    {
        host = null;
        port = null;
        if (s.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<char> hostSpan;
        ReadOnlySpan<char> rest;
        if (s[0] == '[')
        {
            var close = s.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            hostSpan = s[..(close + 1)];
            foreach (var c in hostSpan[1..^1])
            {
                if (!char.IsAsciiHexDigit(c) && c is not ':' and not '.')
                {
                    return false;
                }
            }

            rest = s[(close + 1)..];
        }
        else
        {
            var colon = s.IndexOf(':');
            hostSpan = colon < 0 ? s : s[..colon];
            rest = colon < 0 ? [] : s[colon..];
            if (hostSpan.IsEmpty)
            {
                return false;
            }

            foreach (var c in hostSpan)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '.')
                {
                    return false;
                }
            }
        }

        if (!rest.IsEmpty)
        {
            if (rest[0] != ':' || !TryParsePort(rest[1..], out var p))
            {
                return false;
            }

            port = p;
        }

        host = hostSpan.ToString();
        return true;
    }

    internal static bool TryParsePort(ReadOnlySpan<char> s, out int port)
    {
        port = 0;
        if (s.IsEmpty || s.Length > 5)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port <= 65535;
    }

    private static bool TryParseUriParameters(ReadOnlySpan<char> s, SipParameters target)
    {
        // uri-parameters may be escaped (RFC 3261 §19.1.2), unlike header parameters; unescape names and values.
        var raw = new SipParameters();
        if (!SipParameters.TryParse(s, raw))
        {
            return false;
        }

        for (var i = 0; i < raw.Count; i++)
        {
            var (name, value) = raw[i];
            target.Set(SipGrammar.Unescape(name), value is null ? null : SipGrammar.Unescape(value));
        }

        return true;
    }
}
