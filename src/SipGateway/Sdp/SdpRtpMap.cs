namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;channels&gt;] (RFC 4566 §6).</summary>
public readonly record struct SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int Channels);
