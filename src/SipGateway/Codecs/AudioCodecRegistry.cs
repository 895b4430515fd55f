using System.Diagnostics.CodeAnalysis;
using StepAudio.Telephony.SipGateway.Codecs.G722;

namespace StepAudio.Telephony.SipGateway.Codecs;

/// <summary>Looks up the supported codecs by SDP encoding name or static RTP payload type (RFC 3551 Table 4).</summary>
public static class AudioCodecRegistry
{
    /// <summary>Payload type of <c>PCMU</c> (RFC 3551 §6).</summary>
    public const int PcmuPayloadType = 0;

    /// <summary>Payload type of <c>PCMA</c> (RFC 3551 §6).</summary>
    public const int PcmaPayloadType = 8;

    /// <summary>Payload type of <c>G722</c> (RFC 3551 §4.5.2).</summary>
    public const int G722PayloadType = G722Codec.StaticPayloadType;

    /// <summary>
    /// All supported codecs, in the gateway's default order of preference. These are shared prototypes: a stream
    /// uses <see cref="IAudioCodec.CreateSession"/>.
    /// </summary>
    public static IReadOnlyList<IAudioCodec> All { get; } = [MuLawCodec.Instance, ALawCodec.Instance, G722Codec.Instance];

    /// <summary>Finds a codec by its static payload type.</summary>
    public static bool TryGetByPayloadType(int payloadType, [NotNullWhen(true)] out IAudioCodec? codec)
    {
        codec = payloadType switch
        {
            PcmuPayloadType => MuLawCodec.Instance,
            PcmaPayloadType => ALawCodec.Instance,
            G722PayloadType => G722Codec.Instance,
            _ => null,
        };
        return codec is not null;
    }

    /// <summary>
    /// Finds a codec by encoding name and clock rate as written in <c>a=rtpmap</c>; names are case-insensitive
    /// (RFC 4855 §3).
    /// </summary>
    public static bool TryGetByEncodingName(
        ReadOnlySpan<char> encodingName,
        [NotNullWhen(true)] out IAudioCodec? codec,
        int clockRate = 8000)
    {
        foreach (var candidate in All)
        {
            if (candidate.ClockRate == clockRate
                && encodingName.Equals(candidate.EncodingName, StringComparison.OrdinalIgnoreCase))
            {
                codec = candidate;
                return true;
            }
        }

        codec = null;
        return false;
    }
}
