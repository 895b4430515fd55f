namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>Values of the <c>source</c> argument of <c>ICallHandler.OnDtmf</c>: how the digit reached us.</summary>
public static class DtmfSource
{
    /// <summary>A SIP INFO request (application/dtmf-relay or application/dtmf).</summary>
    public const string Info = "sip-info";

    /// <summary>RTP telephone-event packets (RFC 4733).</summary>
    public const string Rfc4733 = "rfc4733";

    /// <summary>Tones detected in the audio itself.</summary>
    public const string InBand = "inband";
}
