using System.Net;

namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>Our side of the initial offer/answer (RFC 3264 §5): the o= session id, where we receive RTP, the offer sent.</summary>
internal sealed record OfferedSession(ulong SessionId, IPEndPoint LocalRtp, byte[] Sdp);
