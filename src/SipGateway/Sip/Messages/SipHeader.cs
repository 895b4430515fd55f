using System.Text;

namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>
/// One header field value. Name and value are slices over the received datagram (no copy) unless the value was
/// folded over several lines, in which case it is a normalised copy.
/// </summary>
public readonly struct SipHeader
{
    public SipHeader(SipHeaderId id, ReadOnlyMemory<byte> rawName, ReadOnlyMemory<byte> value)
    {
        Id = id;
        RawName = rawName;
        Value = value;
    }

    public SipHeaderId Id { get; }

    /// <summary>The name as it appeared on the wire (may be a compact form).</summary>
    public ReadOnlyMemory<byte> RawName { get; }

    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Canonical name for known headers, wire name otherwise.</summary>
    public string Name => Id == SipHeaderId.Unknown ? Encoding.ASCII.GetString(RawName.Span) : SipHeaderNames.GetName(Id);

    public static SipHeader Create(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var nameBytes = Encoding.ASCII.GetBytes(name);
        return new SipHeader(SipHeaderNames.Lookup(nameBytes), nameBytes, Encoding.UTF8.GetBytes(value));
    }

    public static SipHeader Create(SipHeaderId id, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new SipHeader(id, SipHeaderNames.GetNameBytes(id), Encoding.UTF8.GetBytes(value));
    }

    public string GetValueString() => Encoding.UTF8.GetString(Value.Span);

    public override string ToString() => $"{Name}: {GetValueString()}";
}
