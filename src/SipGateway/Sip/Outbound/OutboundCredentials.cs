namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>Digest credentials for answering a 401/407 to an outbound INVITE (RFC 3261 §22.2, §22.3).</summary>
/// <param name="Username">The authentication user name (may differ from the From user, RFC 3261 §22.4).</param>
/// <param name="Password">The shared secret; kept only in memory and never logged.</param>
public sealed record OutboundCredentials(string Username, string Password)
{
    /// <summary>Keeps the password out of logs that format the request.</summary>
    public override string ToString() => $"OutboundCredentials {{ Username = {Username} }}";
}
