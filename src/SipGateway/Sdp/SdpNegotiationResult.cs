using System.Net;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;

namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>Outcome of answering an audio offer (RFC 3264 §6).</summary>
public sealed class SdpNegotiationResult
{
    private SdpNegotiationResult(string? failureReason, AudioCodec? codec, int? telephoneEventPayloadType,
        string? telephoneEventFmtp, IPEndPoint? remoteRtp, SdpDirection answerDirection, int mediaIndex)
    {
        FailureReason = failureReason;
        Codec = codec;
        TelephoneEventPayloadType = telephoneEventPayloadType;
        TelephoneEventFmtp = telephoneEventFmtp;
        RemoteRtp = remoteRtp;
        AnswerDirection = answerDirection;
        MediaIndex = mediaIndex;
    }

    public bool IsSuccess => FailureReason is null;

    /// <summary>Why no answer is possible (the UAS then sends 488, RFC 3261 §13.3.1.3); null on success.</summary>
    public string? FailureReason { get; }

    public AudioCodec? Codec { get; }

    public int? TelephoneEventPayloadType { get; }

    public string? TelephoneEventFmtp { get; }

    /// <summary>13 when the offer lists RFC 3389 comfort noise at 8 kHz (static, RFC 3551 §6), so the answer keeps it.</summary>
    public int? ComfortNoisePayloadType { get; private init; }

    /// <summary>The SDES keys agreed for this stream (RFC 4568), or null for plain RTP.</summary>
    public SrtpKeys? Srtp { get; private init; }

    /// <summary>Where the caller wants to receive RTP (c= of the m= line, else session c=, and the m= port).</summary>
    public IPEndPoint? RemoteRtp { get; }

    /// <summary>Our direction: the offer's mirrored (RFC 3264 §6.1).</summary>
    public SdpDirection AnswerDirection { get; }

    /// <summary>Index of the accepted m= line in the offer.</summary>
    public int MediaIndex { get; }

    internal static SdpNegotiationResult Failure(string reason) => new(reason, null, null, null, null, SdpDirection.Inactive, -1);

    internal static SdpNegotiationResult Accepted(AudioCodec codec, int? telephoneEvent, string? telephoneEventFmtp,
        IPEndPoint remoteRtp, SdpDirection direction, int mediaIndex, int? comfortNoise = null, SrtpKeys? srtp = null) =>
        new(null, codec, telephoneEvent, telephoneEventFmtp, remoteRtp, direction, mediaIndex) { ComfortNoisePayloadType = comfortNoise, Srtp = srtp };
}
