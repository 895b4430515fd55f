namespace StepAudio.Telephony.SipGateway.Codecs.G722;

/// <summary>
/// ITU-T G.722 at 64 kbit/s as an RTP codec: static payload type 9, <c>G722/8000</c> in SDP although it samples at
/// 16 kHz (RFC 3551 §4.5.2), one octet per two samples. Stateful: obtain one instance per stream from
/// <see cref="CreateSession"/>; the shared <see cref="Instance"/> only describes the codec.
/// </summary>
public sealed class G722Codec : IAudioCodec
{
    /// <summary>The static payload type (RFC 3551 Table 4).</summary>
    public const int StaticPayloadType = 9;

    private readonly G722Encoder? _encoder;
    private readonly G722Decoder? _decoder;

    private G722Codec(bool withState)
    {
        if (withState)
        {
            _encoder = new G722Encoder();
            _decoder = new G722Decoder();
        }
    }

    /// <summary>The shared descriptor used for lookup and negotiation; it cannot encode or decode.</summary>
    public static G722Codec Instance { get; } = new(withState: false);

    /// <inheritdoc />
    public string EncodingName => "G722";

    /// <inheritdoc />
    public int PayloadType => StaticPayloadType;

    /// <inheritdoc />
    public int ClockRate => 8000;

    /// <inheritdoc />
    public int SampleRate => 16000;

    /// <inheritdoc />
    public IAudioCodec CreateSession() => new G722Codec(withState: true);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Called on the shared <see cref="Instance"/>.</exception>
    public int Decode(ReadOnlySpan<byte> encoded, Span<short> pcm) => (_decoder ?? throw NoSession()).Decode(encoded, pcm);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Called on the shared <see cref="Instance"/>.</exception>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> encoded) => (_encoder ?? throw NoSession()).Encode(pcm, encoded);

    // State shared between calls would corrupt both; failing loudly beats decoding garbage.
    private static InvalidOperationException NoSession() =>
        new("G.722 keeps per-stream state: call CreateSession() and use the instance it returns.");
}
