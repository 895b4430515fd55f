namespace StepAudio.Telephony.SipGateway.Sip.Security;

public enum FilterAction
{
    /// <summary>Process the request.</summary>
    Accept,

    /// <summary>Discard it without a response: answering floods and scanners only amplifies them.</summary>
    Drop,

    /// <summary>Answer with <see cref="FilterDecision.StatusCode"/> and stop.</summary>
    Reject,
}
