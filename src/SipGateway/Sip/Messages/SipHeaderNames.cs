using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>Canonical names, compact forms (RFC 3261 §7.3.3) and list/singleton rules of known headers.</summary>
public static class SipHeaderNames
{
    private readonly record struct Entry(SipHeaderId Id, string Name, byte[] NameBytes, byte Compact, bool IsList, bool IsSingleton);

    private static readonly Entry[] Entries =
    [
        Make(SipHeaderId.Accept, "Accept", 0, isList: true),
        Make(SipHeaderId.AcceptEncoding, "Accept-Encoding", 0, isList: true),
        Make(SipHeaderId.AcceptLanguage, "Accept-Language", 0, isList: true),
        Make(SipHeaderId.Allow, "Allow", 0, isList: true),
        Make(SipHeaderId.AllowEvents, "Allow-Events", (byte)'u', isList: true),
        Make(SipHeaderId.CallId, "Call-ID", (byte)'i', isSingleton: true),
        Make(SipHeaderId.Contact, "Contact", (byte)'m', isList: true),
        Make(SipHeaderId.ContentEncoding, "Content-Encoding", (byte)'e', isList: true),
        Make(SipHeaderId.ContentLength, "Content-Length", (byte)'l', isSingleton: true),
        Make(SipHeaderId.ContentType, "Content-Type", (byte)'c', isSingleton: true),
        Make(SipHeaderId.CSeq, "CSeq", 0, isSingleton: true),
        Make(SipHeaderId.Event, "Event", (byte)'o'),
        Make(SipHeaderId.From, "From", (byte)'f', isSingleton: true),
        Make(SipHeaderId.MaxForwards, "Max-Forwards", 0, isSingleton: true),
        Make(SipHeaderId.ProxyRequire, "Proxy-Require", 0, isList: true),
        Make(SipHeaderId.RAck, "RAck", 0, isSingleton: true),
        Make(SipHeaderId.RecordRoute, "Record-Route", 0, isList: true),
        Make(SipHeaderId.ReferTo, "Refer-To", (byte)'r'),
        Make(SipHeaderId.ReferredBy, "Referred-By", (byte)'b'),
        Make(SipHeaderId.Require, "Require", 0, isList: true),
        Make(SipHeaderId.RetryAfter, "Retry-After", 0),
        Make(SipHeaderId.Route, "Route", 0, isList: true),
        Make(SipHeaderId.RSeq, "RSeq", 0, isSingleton: true),
        Make(SipHeaderId.Server, "Server", 0),
        Make(SipHeaderId.SessionExpires, "Session-Expires", (byte)'x'),
        Make(SipHeaderId.Subject, "Subject", (byte)'s'),
        Make(SipHeaderId.Supported, "Supported", (byte)'k', isList: true),
        Make(SipHeaderId.To, "To", (byte)'t', isSingleton: true),
        Make(SipHeaderId.Unsupported, "Unsupported", 0, isList: true),
        Make(SipHeaderId.UserAgent, "User-Agent", 0),
        Make(SipHeaderId.Via, "Via", (byte)'v', isList: true),
        Make(SipHeaderId.Warning, "Warning", 0, isList: true),
    ];

    private static readonly Entry[] ById = BuildIndex();

    /// <summary>Maps a header name as received (any case, long or compact form) to its id.</summary>
    public static SipHeaderId Lookup(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            var c = (byte)(name[0] | 0x20);
            foreach (var e in Entries)
            {
                if (e.Compact == c)
                {
                    return e.Id;
                }
            }

            return SipHeaderId.Unknown;
        }

        foreach (var e in Entries)
        {
            if (e.NameBytes.Length == name.Length && Ascii.EqualsIgnoreCase(e.NameBytes, name))
            {
                return e.Id;
            }
        }

        return SipHeaderId.Unknown;
    }

    /// <summary>Maps a header name string to its id (for programmatic lookups).</summary>
    public static SipHeaderId Lookup(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> buffer = stackalloc byte[64];
        return name.Length <= buffer.Length && Ascii.FromUtf16(name, buffer, out var written) == System.Buffers.OperationStatus.Done
            ? Lookup(buffer[..written])
            : SipHeaderId.Unknown;
    }

    public static string GetName(SipHeaderId id) => ById[(int)id].Name;

    internal static byte[] GetNameBytes(SipHeaderId id) => ById[(int)id].NameBytes;

    /// <summary>Headers whose grammar is a comma-separated list (RFC 3261 §7.3.1), split into one entry per element.</summary>
    public static bool IsList(SipHeaderId id) => ById[(int)id].IsList;

    /// <summary>Headers that may appear at most once (RFC 3261 §7.3.1, §20).</summary>
    public static bool IsSingleton(SipHeaderId id) => ById[(int)id].IsSingleton;

    private static Entry Make(SipHeaderId id, string name, byte compact, bool isList = false, bool isSingleton = false) =>
        new(id, name, Encoding.ASCII.GetBytes(name), compact, isList, isSingleton);

    private static Entry[] BuildIndex()
    {
        var values = Enum.GetValues<SipHeaderId>();
        var index = new Entry[values.Length];
        index[0] = new Entry(SipHeaderId.Unknown, string.Empty, [], 0, false, false);
        foreach (var e in Entries)
        {
            index[(int)e.Id] = e;
        }

        return index;
    }
}
