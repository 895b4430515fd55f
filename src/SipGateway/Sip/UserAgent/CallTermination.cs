namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>Values passed to <see cref="ICallHandler.OnCallTerminated"/>.</summary>
public static class CallTermination
{
    public const string Caller = "caller";
    public const string Gateway = "gateway";

    /// <summary>The caller sent BYE.</summary>
    public const string ReasonBye = "bye";

    /// <summary>The caller sent CANCEL before the call was answered.</summary>
    public const string ReasonCancel = "cancel";

    /// <summary>No ACK for our 200 OK within 64*T1 (RFC 3261 §13.3.1.4); we sent BYE.</summary>
    public const string ReasonAckTimeout = "ack-timeout";

    /// <summary>The gateway called <see cref="SipUserAgentServer.HangUpAsync"/>.</summary>
    public const string ReasonHangUp = "hangup";

    /// <summary>No session refresh arrived within the RFC 4028 session interval; we sent BYE.</summary>
    public const string ReasonSessionExpired = "session-expired";

    /// <summary>The caller accepted our REFER and reached the target; we sent BYE (RFC 5589 §6.1).</summary>
    public const string ReasonTransferred = "transferred";

    /// <summary>Our 2xx carried the offer of a delayed-offer INVITE and its ACK brought no SDP answer; we sent BYE.</summary>
    public const string ReasonNoAnswer = "no-sdp-answer";

    /// <summary>The ACK's SDP answer to our offer was unparsable or chose nothing we offered; we sent BYE.</summary>
    public const string ReasonBadAnswer = "bad-sdp-answer";

    /// <summary>The server was disposed with the call still up; we sent BYE.</summary>
    public const string ReasonShutdown = "shutdown";

    /// <summary>No PRACK acknowledged our reliable 183 within 64*T1 (RFC 3262 §3): the INVITE was answered 5xx.</summary>
    public const string ReasonPrackTimeout = "prack-timeout";
}
