using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.SipGateway.Calls.Admission;

public static class AdmissionServiceCollectionExtensions
{
    /// <summary>
    /// Binds section <c>Admission</c> and adds <see cref="CallAdmission"/> with, unless
    /// <see cref="AdmissionOptions.OverloadGuard"/> is off, the guard and the monitor that samples the VAD scheduler's
    /// lateness. Needs the <see cref="VadBatchScheduler"/>, <see cref="TimeProvider"/> and <see cref="CallsOptions"/>.
    /// </summary>
    public static IServiceCollection AddCallAdmission(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AdmissionOptions>().Bind(configuration.GetSection(AdmissionOptions.SectionName))
            .Validate(o => { o.Validate(); return true; });
        services.AddSingleton<IInferenceLateness>(sp => sp.GetRequiredService<VadBatchScheduler>());
        services.AddSingleton(sp => new OverloadGuard(
            sp.GetRequiredService<IOptions<AdmissionOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OverloadGuard>>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AdmissionOptions>>().Value;
            return new CallAdmission(
                options.OverloadGuard ? sp.GetRequiredService<OverloadGuard>() : null,
                sp.GetRequiredService<IOptions<CallsOptions>>().Value.MaxConcurrentCalls,
                options.RetryAfter);
        });
        if (configuration.GetSection(AdmissionOptions.SectionName).GetValue(nameof(AdmissionOptions.OverloadGuard), true))
        {
            services.AddHostedService(sp => new OverloadMonitor(
                sp.GetRequiredService<OverloadGuard>(),
                sp.GetRequiredService<IInferenceLateness>(),
                sp.GetRequiredService<IOptions<AdmissionOptions>>().Value,
                sp.GetRequiredService<TimeProvider>()));
        }

        return services;
    }
}
