namespace StepAudio.Telephony.SipGateway.Sip.Provisional;

/// <summary>The response a PRACK gets (RFC 3262 §4): 200 when it acknowledged our reliable provisional response.</summary>
/// <param name="StatusCode">
/// 200, 481 (matches nothing outstanding), 415 or 488 (a body we do not take, or an unusable answer to the offer in our
/// 183), 400 (no answer to that offer), 500 (a CSeq out of order in the early dialog).
/// </param>
/// <param name="Reason">The reason phrase.</param>
internal readonly record struct PrackVerdict(int StatusCode, string Reason)
{
    public static readonly PrackVerdict Acknowledged = new(200, "OK");

    /// <summary>§3: a PRACK that matches no unacknowledged reliable provisional response.</summary>
    public static readonly PrackVerdict NoMatch = new(481, "Call/Transaction Does Not Exist");

    public bool IsAcknowledged => StatusCode == 200;
}
