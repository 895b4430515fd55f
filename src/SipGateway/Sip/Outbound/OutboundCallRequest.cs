using System.Net;
using StepAudio.Telephony.SipGateway.Sdp;

namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>What <c>SipUserAgentServer.PlaceCallAsync</c> needs to place one call over UDP.</summary>
public sealed class OutboundCallRequest
{
    /// <summary>The Request-URI and To URI, e.g. "sip:agent@10.0.0.5:5060".</summary>
    public required string Target { get; init; }

    /// <summary>
    /// Next hop (an outbound proxy or the callee itself). Null: taken from the target's host when it is an IP literal
    /// (port 5060 if none); host names are not resolved (no RFC 3263).
    /// </summary>
    public IPEndPoint? Destination { get; init; }

    /// <summary>Display name of our From; none if null.</summary>
    public string? FromDisplayName { get; init; }

    /// <summary>User part of our From and Contact URIs.</summary>
    public string FromUser { get; init; } = "gateway";

    /// <summary>Where we receive RTP; a wildcard address is replaced by the advertised SIP address.</summary>
    public required IPEndPoint LocalRtp { get; init; }

    /// <summary>Audio codecs offered, in order of preference (RFC 3264 §5.1).</summary>
    public IReadOnlyList<AudioCodec> Codecs { get; init; } = [AudioCodec.Pcmu, AudioCodec.Pcma];

    /// <summary>Payload type offered for RFC 4733 telephone-event; null offers none.</summary>
    public int? TelephoneEventPayloadType { get; init; } = 101;

    /// <summary>Answers one challenge per request when set (RFC 3261 §22.2); without it a 401/407 is the result.</summary>
    public OutboundCredentials? Credentials { get; init; }

    /// <summary>Receives the status of each provisional response (100, 180, 183...), retransmissions included.</summary>
    public IProgress<int>? Progress { get; init; }
}
