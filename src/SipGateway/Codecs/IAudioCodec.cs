namespace StepAudio.Telephony.SipGateway.Codecs;

/// <summary>
/// A stateless sample-by-sample audio codec carried in RTP (one encoded byte per 8 kHz sample for G.711).
/// Implementations are thread-safe and do not allocate.
/// </summary>
public interface IAudioCodec
{
    /// <summary>The encoding name used in SDP <c>a=rtpmap</c> (RFC 3551 §6), e.g. <c>PCMU</c>.</summary>
    string EncodingName { get; }

    /// <summary>The static RTP payload type (RFC 3551 Table 4).</summary>
    int PayloadType { get; }

    /// <summary>The RTP clock rate in Hz (also the sample rate).</summary>
    int ClockRate { get; }

    /// <summary>Decodes <paramref name="encoded"/> into <paramref name="pcm"/>, which must hold at least as many samples.</summary>
    void Decode(ReadOnlySpan<byte> encoded, Span<short> pcm);

    /// <summary>Encodes <paramref name="pcm"/> into <paramref name="encoded"/>, which must hold at least as many bytes.</summary>
    void Encode(ReadOnlySpan<short> pcm, Span<byte> encoded);
}
