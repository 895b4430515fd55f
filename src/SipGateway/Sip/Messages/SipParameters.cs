namespace StepAudio.Telephony.SipGateway.Sip.Messages;

/// <summary>Ordered generic parameters (";name=value"), names compared case-insensitively (RFC 3261 §7.3.1).</summary>
public sealed class SipParameters
{
    private readonly List<KeyValuePair<string, string?>> _items = [];

    public int Count => _items.Count;

    public KeyValuePair<string, string?> this[int index] => _items[index];

    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Value of a parameter; null when absent or value-less (use <see cref="Contains"/> to tell apart).</summary>
    public string? Get(string name)
    {
        var i = IndexOf(name);
        return i < 0 ? null : _items[i].Value;
    }

    public void Set(string name, string? value)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            _items.Add(new KeyValuePair<string, string?>(name, value));
        }
        else
        {
            _items[i] = new KeyValuePair<string, string?>(_items[i].Key, value);
        }
    }

    public void AppendTo(System.Text.StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in _items)
        {
            builder.Append(';').Append(key);
            if (value is not null)
            {
                builder.Append('=').Append(value);
            }
        }
    }

    /// <summary>
    /// Parses ";p1=v1;p2" (leading ';' optional) with LWS allowed around ';' and '=' and quoted-string values.
    /// Empty parameter names are an error (RFC 3261 §25.1 generic-param = token [ EQUAL gen-value ]).
    /// </summary>
    internal static bool TryParse(ReadOnlySpan<char> text, SipParameters target)
    {
        var pos = 0;
        while (true)
        {
            pos = SkipLws(text, pos);
            if (pos >= text.Length)
            {
                return true;
            }

            if (text[pos] != ';')
            {
                return false;
            }

            pos = SkipLws(text, pos + 1);
            var nameStart = pos;
            while (pos < text.Length && SipGrammar.IsTokenChar(text[pos]))
            {
                pos++;
            }

            if (pos == nameStart)
            {
                return false;
            }

            var name = text[nameStart..pos].ToString();
            pos = SkipLws(text, pos);
            string? value = null;
            if (pos < text.Length && text[pos] == '=')
            {
                pos = SkipLws(text, pos + 1);
                if (pos < text.Length && text[pos] == '"')
                {
                    var end = SipGrammar.FindQuotedStringEnd(text, pos);
                    if (end < 0)
                    {
                        return false;
                    }

                    value = text[pos..(end + 1)].ToString();
                    pos = end + 1;
                }
                else
                {
                    var valueStart = pos;
                    while (pos < text.Length && text[pos] != ';' && !SipGrammar.IsLws(text[pos]))
                    {
                        pos++;
                    }

                    if (pos == valueStart)
                    {
                        return false;
                    }

                    value = text[valueStart..pos].ToString();
                }
            }

            target._items.Add(new KeyValuePair<string, string?>(name, value));
        }
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _items.Count; i++)
        {
            if (string.Equals(_items[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static int SkipLws(ReadOnlySpan<char> text, int pos)
    {
        while (pos < text.Length && SipGrammar.IsLws(text[pos]))
        {
            pos++;
        }

        return pos;
    }
}
