namespace StepAudio.Telephony.SipGateway.Sip.Registration;

/// <summary>Where one trunk's registration stands.</summary>
public enum RegistrationState
{
    /// <summary>Not registered: not started yet, or removed with Expires: 0 at shutdown.</summary>
    Unregistered,

    /// <summary>The registrar accepted our binding; it lasts until <see cref="TrunkRegistrationStatus.ExpiresAt"/>.</summary>
    Registered,

    /// <summary>The last attempt failed (rejected, bad credentials, timeout); a retry is scheduled with backoff.</summary>
    Failed,
}
