using System.Net;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;

namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>
/// Our side of the initial offer/answer (RFC 3264 §5): the o= session id, where we receive RTP, the offer sent, and the
/// SDES key it carried when it is SRTP (RFC 4568), which the answer must accept.
/// </summary>
internal sealed record OfferedSession(ulong SessionId, IPEndPoint LocalRtp, byte[] Sdp, SrtpMasterKey? SrtpKey = null);
