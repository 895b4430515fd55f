namespace StepAudio.Telephony.SipGateway.Calls;

/// <summary>What the events say about a call's parties and media, fixed when it is answered.</summary>
/// <param name="DialogId">The signalling layer's id for the dialog.</param>
/// <param name="From">Caller's SIP URI.</param>
/// <param name="To">Called SIP URI.</param>
/// <param name="Codec">Negotiated codec as <c>NAME/rate</c>.</param>
internal sealed record CallDescription(string DialogId, string From, string To, string Codec);
