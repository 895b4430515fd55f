using System.Net;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;

namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>
/// How an outbound INVITE ended. <see cref="Succeeded"/> means a dialog is up in the dialog table under
/// <see cref="DialogId"/> (end it with HangUpAsync); otherwise <see cref="StatusCode"/> is the final response, or 408
/// when none came (Timer B, RFC 3261 §17.1.1.2).
/// </summary>
public sealed record OutboundCallResult
{
    public required bool Succeeded { get; init; }

    public required int StatusCode { get; init; }

    public required string Reason { get; init; }

    public string? DialogId { get; init; }

    public IPEndPoint? RemoteRtp { get; init; }

    public AudioCodec? Codec { get; init; }

    /// <summary>The telephone-event payload type the callee accepted, if any.</summary>
    public int? TelephoneEventPayloadType { get; init; }

    /// <summary>The SDES keys agreed when our offer was SRTP (RFC 4568): ours and the callee's; null for plain RTP.</summary>
    public SrtpKeys? Srtp { get; init; }

    internal static OutboundCallResult Failed(int statusCode, string reason) =>
        new() { Succeeded = false, StatusCode = statusCode, Reason = reason };
}
