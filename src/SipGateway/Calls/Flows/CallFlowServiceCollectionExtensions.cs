using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.CallFlow.Flows.Routing;
using StepAudio.Telephony.CallFlow.Flows.Validation;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Flows.Webhooks;
using StepAudio.Telephony.SipGateway.Media.Recording;
using StepAudio.Telephony.SipGateway.Sip.Registration;
using StepAudio.Telephony.SipGateway.Sip.Security;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>Registers call flows: the catalog (live reload), the runner, the webhook client and the per-call coordinator.</summary>
internal static class CallFlowServiceCollectionExtensions
{
    /// <summary>
    /// Adds flows when <c>CallFlow:Enabled</c> and the flow directory exists; otherwise nothing, and calls keep
    /// hearing <c>Calls:Greeting</c>. The catalog is built with the gateway, so an invalid flow stops the start.
    /// </summary>
    public static IServiceCollection AddCallFlows(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(CallFlowGatewayOptions.SectionName);
        var gateway = new CallFlowGatewayOptions();
        section.Bind(gateway);
        var catalogOptions = new FlowCatalogOptions();
        section.Bind(catalogOptions);
        var directory = gateway.Enabled ? FlowDirectoryLocator.Resolve(catalogOptions.Directory) : null;
        if (directory is null)
        {
            return services;
        }

        catalogOptions.Directory = directory;

        // Prompts live next to the flows unless Prompts:Directory says otherwise.
        services.PostConfigure<PromptOptions>(o => o.Directory = string.IsNullOrWhiteSpace(o.Directory)
            ? Path.Combine(directory, PromptOptions.FolderNextToFlows)
            : Path.GetFullPath(o.Directory));
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName));
        services.AddSingleton(sp =>
        {
            // Flows are checked against what they will meet (prompt files, espeak-ng's voices) at start-up and reload.
            catalogOptions.Environment = FlowEnvironments.Create(
                sp.GetRequiredService<IOptions<PromptOptions>>().Value.Directory,
                sp.GetRequiredService<IOptions<SpeechSynthesisOptions>>().Value.EspeakPath);
            return new FlowCatalog(catalogOptions, sp.GetRequiredService<ILogger<FlowCatalog>>(), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IWebhookClient>(sp => new HttpWebhookClient(
            new HttpClient(),
            sp.GetRequiredService<IOptions<WebhookOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<HttpWebhookClient>>()));
        // The catalog resolves CallFlow:TimeZone (an unknown zone stops the start with a FlowValidationException).
        services.AddSingleton(sp => new FlowRunnerOptions
        {
            TimeZone = sp.GetRequiredService<FlowCatalog>().TimeZone,
            RecordingBaseUrl = sp.GetRequiredService<IOptions<RecordingOptions>>().Value.BaseUrl,
        });
        services.AddSingleton(sp => new FlowRunner(
            sp.GetRequiredService<IWebhookClient>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<FlowRunnerOptions>(),
            sp.GetRequiredService<ILogger<FlowRunner>>()));
        services.AddSingleton(sp => new CallTrunkResolver(
            gateway.Trunks,
            sp.GetRequiredService<IOptions<SipSecurityOptions>>().Value.Trunks,
            sp.GetRequiredService<IOptions<RegistrationOptions>>().Value.Trunks));
        services.AddSingleton<CallFlowCoordinator>();
        return services;
    }
}
