using System.Diagnostics;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Traces of call set-up: one <c>sip.invite</c> server activity per new INVITE admitted, from the moment it is handed
/// to the call handler until its final answer is acknowledged (ACK) or given up on (Timer H) (tags <c>sip.call_id</c>, <c>sip.codec</c>,
/// <c>sip.accepted</c>, <c>sip.status_code</c>). Recorded only when a listener (Tracing:Enabled) subscribes.
/// </summary>
public static class SipTracing
{
    /// <summary>The ActivitySource name to subscribe to.</summary>
    public const string SourceName = "StepAudio.Telephony.Sip";

    internal static readonly ActivitySource Source = new(SourceName);
}
