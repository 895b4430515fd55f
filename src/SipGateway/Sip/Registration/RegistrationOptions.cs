namespace StepAudio.Telephony.SipGateway.Sip.Registration;

/// <summary>Outbound registrations (configuration section "Registrations", an array of <see cref="TrunkOptions"/>).</summary>
public sealed class RegistrationOptions
{
    public const string SectionName = "Registrations";

    public List<TrunkOptions> Trunks { get; } = [];
}
