using System.Net;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Early media for an INVITE that is still ringing: a 183 Session Progress carrying our SDP answer, so the caller hears
/// what we send before the call is answered (RFC 3261 §13.3.1.1, RFC 3264) and billing, which starts at the 200, has
/// not started. Sent reliably (RFC 3262, 100rel/PRACK) when the caller supports or requires it, once otherwise.
/// </summary>
public interface IEarlyMedia
{
    /// <summary>Whether the 183 goes out reliably: the caller named 100rel in Supported or Require.</summary>
    bool IsReliable { get; }

    /// <summary>
    /// Sends the 183 with the answer naming <paramref name="localRtp"/>; the same answer is repeated in the 200. For an
    /// INVITE without an offer (<see cref="IncomingCall.DelayedOffer"/>, only when the caller allows 100rel) the 183
    /// carries our offer instead and the PRACK the answer (RFC 3262 §5): the peer's RTP address reaches the handler
    /// through <see cref="ICallHandler.OnMediaUpdated"/> (see <see cref="WhenAnsweredAsync"/>); audio sent before it is
    /// dropped. The caller can hear RTP from then on. False when it was not sent: the INVITE already ended (CANCEL) or
    /// early media already started. A reliable 183 never acknowledged by PRACK ends the INVITE with a 5xx after 64*T1 and fires the
    /// handler's cancellation token.
    /// </summary>
    bool Start(IPEndPoint localRtp);

    /// <summary>
    /// Completes with true once the caller's media address is known, so audio sent from then on reaches it: at once
    /// when the INVITE carried an offer, when a PRACK answered our offer otherwise (RFC 3262 §5). Completes with false
    /// when the early dialog ended first (the INVITE's final response, CANCEL, no PRACK within 64*T1).
    /// </summary>
    Task<bool> WhenAnsweredAsync();
}
