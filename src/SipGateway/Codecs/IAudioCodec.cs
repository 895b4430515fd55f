namespace StepAudio.Telephony.SipGateway.Codecs;

/// <summary>
/// An audio codec carried in RTP. The registry hands out shared prototypes; a stream calls <see cref="CreateSession"/>
/// once per direction pair and uses that instance for all its frames, because codecs such as G.722 keep state
/// (ADPCM predictors, filter history) from one frame to the next. Encode and decode do not allocate.
/// </summary>
public interface IAudioCodec
{
    /// <summary>The encoding name used in SDP <c>a=rtpmap</c> (RFC 3551 §6), e.g. <c>PCMU</c>.</summary>
    string EncodingName { get; }

    /// <summary>The static RTP payload type (RFC 3551 Table 4).</summary>
    int PayloadType { get; }

    /// <summary>
    /// The RTP clock rate in Hz, as written in <c>a=rtpmap</c> and used for RTP timestamps. Not always the sample
    /// rate: G.722 samples at 16 kHz but keeps an 8000 Hz RTP clock for historical reasons (RFC 3551 §4.5.2).
    /// </summary>
    int ClockRate { get; }

    /// <summary>The rate of the linear PCM that <see cref="Decode"/> produces and <see cref="Encode"/> consumes, in Hz.</summary>
    int SampleRate { get; }

    /// <summary>Decodes one payload into <paramref name="pcm"/>.</summary>
    /// <returns>The number of samples written.</returns>
    /// <exception cref="ArgumentException"><paramref name="pcm"/> is too short for the payload.</exception>
    int Decode(ReadOnlySpan<byte> encoded, Span<short> pcm);

    /// <summary>Encodes one frame of PCM at <see cref="SampleRate"/> into <paramref name="encoded"/>.</summary>
    /// <returns>The number of octets written.</returns>
    /// <exception cref="ArgumentException"><paramref name="encoded"/> is too short, or the frame length is invalid for the codec.</exception>
    int Encode(ReadOnlySpan<short> pcm, Span<byte> encoded);

    /// <summary>
    /// An instance for one RTP stream: stateless codecs return themselves; stateful ones a fresh instance whose encoder
    /// and decoder keep separate state, so one thread may encode while another decodes, but each direction is used by
    /// one thread at a time.
    /// </summary>
    IAudioCodec CreateSession();
}
