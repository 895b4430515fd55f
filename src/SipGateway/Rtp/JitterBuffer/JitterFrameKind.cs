namespace StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;

/// <summary>What a frame released by <see cref="AdaptiveJitterBuffer"/> carries.</summary>
public enum JitterFrameKind
{
    /// <summary>A received payload, to be decoded.</summary>
    Normal,

    /// <summary>One lost frame between received ones (or one inserted to grow the delay): the decoder side repeats and fades the previous frame.</summary>
    Concealed,

    /// <summary>Part of a longer gap: play silence, do not extrapolate speech.</summary>
    Missing,

    /// <summary>Silence described by an RFC 3389 CN packet: the payload holds its noise level byte (−dBov).</summary>
    ComfortNoise,
}
