namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>One m= section with the attributes that matter for audio negotiation (RFC 4566 §5.14).</summary>
public sealed class SdpMediaDescription
{
    public SdpMediaDescription(string media, int port, string protocol, IReadOnlyList<string> formats)
    {
        Media = media;
        Port = port;
        Protocol = protocol;
        Formats = formats;
    }

    /// <summary>"audio", "video", ...</summary>
    public string Media { get; }

    public int Port { get; }

    /// <summary>"RTP/AVP", "RTP/SAVP", ...</summary>
    public string Protocol { get; }

    /// <summary>fmt list in offer order; payload type numbers for RTP profiles.</summary>
    public IReadOnlyList<string> Formats { get; }

    /// <summary>Media-level c= address, or null to use the session-level one.</summary>
    public string? ConnectionAddress { get; internal set; }

    public List<SdpRtpMap> RtpMaps { get; } = [];

    /// <summary>a=fmtp parameters by payload type.</summary>
    public Dictionary<int, string> Fmtps { get; } = [];

    /// <summary>SDES crypto attributes (RFC 4568 §9.1) in offer order, the most preferred first.</summary>
    public List<SdpCrypto> Cryptos { get; } = [];

    public int? Ptime { get; internal set; }

    /// <summary>Media-level direction attribute, or null when absent (then the session level applies).</summary>
    public SdpDirection? Direction { get; internal set; }

    public SdpRtpMap? FindRtpMap(int payloadType)
    {
        foreach (var map in RtpMaps)
        {
            if (map.PayloadType == payloadType)
            {
                return map;
            }
        }

        return null;
    }
}
