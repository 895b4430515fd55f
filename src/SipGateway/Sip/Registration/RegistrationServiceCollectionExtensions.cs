using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StepAudio.Telephony.SipGateway.Sip.Transactions;

namespace StepAudio.Telephony.SipGateway.Sip.Registration;

public static class RegistrationServiceCollectionExtensions
{
    /// <summary>
    /// Binds the "Registrations" array, adds the shared client channel and the registration hosted service. Call it
    /// after the gateway's hosted service is added so that registration starts after, and stops before, the socket.
    /// </summary>
    public static IServiceCollection AddTrunkRegistrations(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RegistrationOptions>()
            .Configure(o => configuration.GetSection(RegistrationOptions.SectionName).Bind(o.Trunks));
        services.AddSingleton<SipClientChannel>();
        services.AddHostedService<RegistrationService>();
        return services;
    }
}
