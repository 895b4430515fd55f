namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>Values of the <c>source</c> argument of <c>ICallHandler.OnDtmf</c>: how the digit reached us.</summary>
public static class DtmfSource
{
    /// <summary>A SIP INFO request (application/dtmf-relay or application/dtmf).</summary>
    public const string Info = "sip-info";

    /// <summary>An RFC 4733 telephone-event in the RTP stream.</summary>
    public const string Rfc4733 = "rfc4733";
}
