namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>
/// The codecs the gateway enables, in its order of preference, as configured by <c>Sip:Codecs</c> (e.g.
/// <c>"PCMU,PCMA,G722"</c>). When we offer, the list is the m= line's format order (RFC 3264 §5.1); when we answer,
/// only listed codecs are accepted and the offerer's order decides among them (RFC 3264 §6.1).
/// </summary>
public static class AudioCodecPreferences
{
    /// <summary>The default: G.711 only, µ-law first. G.722 is opt-in so existing peers keep getting G.711.</summary>
    public const string DefaultNames = "PCMU,PCMA";

    /// <summary>Every codec the media engine implements, in the default preference order.</summary>
    public static IReadOnlyList<AudioCodec> Supported { get; } = [AudioCodec.Pcmu, AudioCodec.Pcma, AudioCodec.G722];

    /// <summary>The codecs of <see cref="DefaultNames"/>.</summary>
    public static IReadOnlyList<AudioCodec> Default { get; } = Parse(DefaultNames);

    /// <summary>Parses a comma-separated list of encoding names (case-insensitive, RFC 4855 §3).</summary>
    /// <exception cref="ArgumentException">The list is empty, repeats a codec or names one the gateway does not implement.</exception>
    public static IReadOnlyList<AudioCodec> Parse(string names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var codecs = new List<AudioCodec>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var codec = Find(Supported, name)
                ?? throw new ArgumentException($"Unsupported codec '{name}' in '{names}'; supported: PCMU, PCMA, G722.", nameof(names));
            if (codecs.Contains(codec))
            {
                throw new ArgumentException($"Codec '{name}' is listed twice in '{names}'.", nameof(names));
            }

            codecs.Add(codec);
        }

        if (codecs.Count == 0)
        {
            throw new ArgumentException("At least one codec must be enabled.", nameof(names));
        }

        return codecs;
    }

    /// <summary>The codec of <paramref name="codecs"/> with this encoding name, or <see langword="null"/>.</summary>
    public static AudioCodec? Find(IReadOnlyList<AudioCodec> codecs, string encodingName)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        foreach (var codec in codecs)
        {
            if (codec.EncodingName.Equals(encodingName, StringComparison.OrdinalIgnoreCase))
            {
                return codec;
            }
        }

        return null;
    }
}
