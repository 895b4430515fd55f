using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>One via-parm (RFC 3261 §20.42): sent-protocol, sent-by and parameters (branch, received, rport of RFC 3581).</summary>
public sealed class ViaHeader
{
    public ViaHeader(string protocolName, string protocolVersion, string transport, string host, int? port, SipParameters? parameters = null)
    {
        ProtocolName = protocolName;
        ProtocolVersion = protocolVersion;
        Transport = transport;
        Host = host;
        Port = port;
        Parameters = parameters ?? new SipParameters();
    }

    public string ProtocolName { get; }

    public string ProtocolVersion { get; }

    public string Transport { get; }

    /// <summary>sent-by host (IPv6 references keep their brackets).</summary>
    public string Host { get; }

    /// <summary>sent-by port, null when absent (RFC 3261 §18.2.2: then 5060 for UDP).</summary>
    public int? Port { get; }

    public SipParameters Parameters { get; }

    public string? Branch => Parameters.Get("branch");

    public string? Received => Parameters.Get("received");

    /// <summary>True when the rport parameter is present, with or without a value (RFC 3581 §3).</summary>
    public bool HasRport => Parameters.Contains("rport");

    /// <summary>The rport value filled in by a server, or null.</summary>
    public int? RportValue => Parameters.Get("rport") is { } v && SipUri.TryParsePort(v, out var p) ? p : null;

    /// <summary>True for RFC 3261 branches (magic cookie, §8.1.1.7), which identify transactions on their own.</summary>
    public bool HasRfc3261Branch => Branch is { } b && b.StartsWith("z9hG4bK", StringComparison.Ordinal);

    public static bool TryParse(ReadOnlySpan<byte> value, [NotNullWhen(true)] out ViaHeader? via)
    {
        via = null;
        if (value.Length > 4096)
        {
            return false;
        }

        // Non-ASCII never occurs in a valid via-parm. Checked on the bytes: UTF-8 decoding would turn a stray byte into
        // U+FFFD, which the response then echoes as three bytes that no parser accepts.
        if (!Ascii.IsValid(value))
        {
            return false;
        }

        Span<char> chars = stackalloc char[value.Length];
        Encoding.ASCII.GetChars(value, chars);

        return TryParse((ReadOnlySpan<char>)chars, out via);
    }

    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out ViaHeader? via)
    {
        via = null;
        var pos = 0;

        // sent-protocol = protocol-name SLASH protocol-version SLASH transport, with LWS allowed around SLASH.
        if (!ReadToken(s, ref pos, out var name) || !ReadSlash(s, ref pos) ||
            !ReadToken(s, ref pos, out var version) || !ReadSlash(s, ref pos) ||
            !ReadToken(s, ref pos, out var transport))
        {
            return false;
        }

        var lwsStart = pos;
        SkipLws(s, ref pos);
        if (pos == lwsStart)
        {
            return false;
        }

        var sentByStart = pos;
        while (pos < s.Length && s[pos] != ';' && !SipGrammar.IsLws(s[pos]))
        {
            pos++;
        }

        if (!SipUri.TryParseHostPort(s[sentByStart..pos], out var host, out var port))
        {
            return false;
        }

        var parameters = new SipParameters();
        if (!SipParameters.TryParse(s[pos..], parameters))
        {
            return false;
        }

        via = new ViaHeader(name.ToString(), version.ToString(), transport.ToString().ToUpperInvariant(), host, port, parameters);
        return true;
    }

    public override string ToString()
    {
        var sb = new StringBuilder(64);
        sb.Append(ProtocolName).Append('/').Append(ProtocolVersion).Append('/').Append(Transport).Append(' ').Append(Host);
        if (Port is not null)
        {
            sb.Append(':').Append(Port.Value);
        }

        Parameters.AppendTo(sb);
        return sb.ToString();
    }

    private static bool ReadToken(ReadOnlySpan<char> s, ref int pos, out ReadOnlySpan<char> token)
    {
        SkipLws(s, ref pos);
        var start = pos;
        while (pos < s.Length && SipGrammar.IsTokenChar(s[pos]))
        {
            pos++;
        }

        token = s[start..pos];
        return pos > start;
    }

    private static bool ReadSlash(ReadOnlySpan<char> s, ref int pos)
    {
        SkipLws(s, ref pos);
        if (pos >= s.Length || s[pos] != '/')
        {
            return false;
        }

        pos++;
        return true;
    }

    private static void SkipLws(ReadOnlySpan<char> s, ref int pos)
    {
        while (pos < s.Length && SipGrammar.IsLws(s[pos]))
        {
            pos++;
        }
    }
}
