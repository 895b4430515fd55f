namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>A parsed session description (RFC 4566 §5): the parts an audio-only answerer needs.</summary>
public sealed class SdpSessionDescription
{
    internal SdpSessionDescription()
    {
    }

    public string? OriginUsername { get; internal set; }

    public string? OriginSessionId { get; internal set; }

    public string? OriginSessionVersion { get; internal set; }

    /// <summary>Session-level c= address, or null.</summary>
    public string? ConnectionAddress { get; internal set; }

    /// <summary>Session-level direction attribute, or null (RFC 4566 §6: sendrecv is the default).</summary>
    public SdpDirection? Direction { get; internal set; }

    public List<SdpMediaDescription> Media { get; } = [];
}
