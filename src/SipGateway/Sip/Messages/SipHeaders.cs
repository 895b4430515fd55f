using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>
/// Header fields in wire order. List-valued headers hold one entry per element, which RFC 3261 §7.3.1 makes
/// equivalent to the comma-separated form. Lookups are linear: a SIP message carries a few dozen headers at most.
/// </summary>
public sealed class SipHeaders
{
    private readonly List<SipHeader> _headers;

    public SipHeaders(int capacity = 16)
    {
        _headers = new List<SipHeader>(capacity);
    }

    public int Count => _headers.Count;

    public SipHeader this[int index] => _headers[index];

    public void Add(SipHeader header) => _headers.Add(header);

    public void Add(SipHeaderId id, string value) => _headers.Add(SipHeader.Create(id, value));

    public void Add(string name, string value) => _headers.Add(SipHeader.Create(name, value));

    public void Insert(int index, SipHeader header) => _headers.Insert(index, header);

    public void Replace(int index, SipHeader header) => _headers[index] = header;

    public int IndexOf(SipHeaderId id)
    {
        for (var i = 0; i < _headers.Count; i++)
        {
            if (_headers[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    public bool Contains(SipHeaderId id) => IndexOf(id) >= 0;

    public int CountOf(SipHeaderId id)
    {
        var n = 0;
        foreach (var h in _headers)
        {
            if (h.Id == id)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>First value of a known header as a string, or null when absent.</summary>
    public string? GetFirst(SipHeaderId id)
    {
        var i = IndexOf(id);
        return i < 0 ? null : _headers[i].GetValueString();
    }

    /// <summary>First value of a header by name (case-insensitive; compact forms of known headers match too).</summary>
    public string? GetFirst(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = SipHeaderNames.Lookup(name);
        if (id != SipHeaderId.Unknown)
        {
            return GetFirst(id);
        }

        var nameBytes = Encoding.ASCII.GetBytes(name);
        foreach (var h in _headers)
        {
            if (h.Id == SipHeaderId.Unknown && Ascii.EqualsIgnoreCase(h.RawName.Span, nameBytes))
            {
                return h.GetValueString();
            }
        }

        return null;
    }

    /// <summary>All values of a known header, in order.</summary>
    public List<string> GetAll(SipHeaderId id)
    {
        var values = new List<string>();
        foreach (var h in _headers)
        {
            if (h.Id == id)
            {
                values.Add(h.GetValueString());
            }
        }

        return values;
    }

    public int RemoveAll(SipHeaderId id) => _headers.RemoveAll(h => h.Id == id);

    public List<SipHeader>.Enumerator GetEnumerator() => _headers.GetEnumerator();
}
