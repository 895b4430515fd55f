namespace StepAudio.Telephony.SipGateway.Sip.Registration;

/// <summary>A snapshot of one trunk's registration. <see cref="LastStatusCode"/> is the final response of the last
/// REGISTER (408 for a timeout, 503 for a transport error, null before the first).</summary>
public sealed record TrunkRegistrationStatus(RegistrationState State, DateTimeOffset? ExpiresAt, int? LastStatusCode, string? LastError)
{
    public static TrunkRegistrationStatus Initial { get; } = new(RegistrationState.Unregistered, null, null, null);
}
