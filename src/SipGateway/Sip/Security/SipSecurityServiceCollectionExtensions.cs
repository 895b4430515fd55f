using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StepAudio.Telephony.SipGateway.Sip.Security;

public static class SipSecurityServiceCollectionExtensions
{
    /// <summary>Binds <see cref="SipSecurityOptions"/> from section "SipSecurity" and registers the request filter.</summary>
    public static IServiceCollection AddSipSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SipSecurityOptions>().Bind(configuration.GetSection(SipSecurityOptions.SectionName));
        services.AddSingleton(sp => new SipRequestFilter(
            sp.GetRequiredService<IOptions<SipSecurityOptions>>().Value,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<SipRequestFilter>>()));
        return services;
    }
}
